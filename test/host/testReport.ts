/**
 * Starts each line of test output that the integration test index logs in the extension host. In code-server that
 * log reaches the page's console among the workbench's own lines; openWorkbench prints what follows the marker.
 */
export const testReportMarker = '[integration-test] ';
