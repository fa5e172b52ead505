import { parseArgs } from 'node:util';
import { SANDBOX_SUBSCRIPTIONS } from './apiServer';
import { defaultSandboxLocation } from './sandboxDefaults';
import { DEMO_CLIENT, startSandbox } from './sandboxServer';

/**
 * node out/test/sandbox/cli.js [--port N]: runs the sandbox authorization server and its API gateway until SIGINT or SIGTERM,
 * by default where the extension's "fortellis.sandbox.issuer" setting expects it.
 */
async function main(): Promise<void> {
  const { port, issuerPath } = defaultSandboxLocation();
  const sandbox = await startSandbox({ port: portFrom(process.argv.slice(2), port), issuerPath });
  console.log(
    [
      'Fortellis sandbox authorization server (local, for development and tests)',
      `  issuer:         ${sandbox.issuer}`,
      `  token endpoint: ${sandbox.tokenEndpoint}`,
      `  API base URL:   ${sandbox.apiBaseUrl}`,
      `  subscriptions:  ${sandbox.subscriptionsUrl}`,
      `                  Subscription-Id: ${SANDBOX_SUBSCRIPTIONS.map(({ subscriptionId, status }) => `${subscriptionId} (${status})`).join(', ')}`,
      `  API key:        ${DEMO_CLIENT.clientId}`,
      `  API secret:     ${DEMO_CLIENT.clientSecret}`,
      '                  (demo-only credentials, public on purpose: they work on this sandbox only)',
      `  redirect URIs:  ${(DEMO_CLIENT.redirectUris ?? []).join(', ')}`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: stopping the sandbox`);
    sandbox.close().catch((error: unknown) => {
      console.error(`The sandbox did not close cleanly: ${String(error)}`);
      process.exitCode = 1;
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function portFrom(args: string[], defaultPort: number): number {
  const { values } = parseArgs({ args, options: { port: { type: 'string' } } });
  if (values.port === undefined) {
    return defaultPort;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, not "${values.port}"`);
  }
  return port;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
