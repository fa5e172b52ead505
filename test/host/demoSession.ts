import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SANDBOX_PROFILE } from './constants';
import { NO_PORT_FORWARDING_SETTINGS, QUIET_WORKBENCH_SETTINGS } from './workbench';
import { startWorkbenchSession, type WorkbenchSession } from './workbenchSession';
import { SANDBOX_SUBSCRIPTIONS } from '../sandbox/apiServer';
import { defaultSandboxLocation } from '../sandbox/sandboxDefaults';
import { DEMO_CLIENT, type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { fortellisCollection } from '../sandbox/postmanCollections';
import { SANDBOX_SPEC_BASE_PATH, SANDBOX_SPEC_PATH } from '../sandbox/spec/vehicleApi';

/** The profile the demo starts with: the sandbox's demo app, the extension's default callback mode (URI handler). */
export const DEMO_PROFILE = { name: SANDBOX_PROFILE, environment: 'sandbox', apiKey: DEMO_CLIENT.clientId, subscriptionId: 'test' } as const;

/** The sandbox's spec, in the demo's workspace. */
export const DEMO_SPEC_FILE = basename(SANDBOX_SPEC_PATH);
/** The sandbox API's Postman collection, laid out as Fortellis hands them out, in the demo's workspace. */
export const DEMO_COLLECTION_FILE = 'sandbox-vehicles.postman_collection.json';

/** What `npm run demo` runs: the sandbox where the extension's defaults expect it, and code-server with the VSIX installed. */
export interface DemoSession extends WorkbenchSession {
  /** Open this in a browser. Its workspace holds the sandbox's API spec and its Postman collection. */
  url: string;
  /** What to try, flow by flow: printed by the demo. */
  guide: string;
}

/**
 * Starts the demo: the sandbox on the port of the "fortellis.sandbox.issuer" default (so the default settings reach it),
 * and code-server, a real VS Code, with the packaged extension installed and the "sandbox" profile ready.
 * `npm run demo` and the newcomer tour (test/e2e/tour.e2e.test.ts) both start it through this function.
 */
export async function startDemo(): Promise<DemoSession> {
  const session = await startWorkbenchSession({
    tempPrefix: 'fortellis-demo-',
    startSandbox: () =>
      startSandbox(defaultSandboxLocation()).catch((error: unknown) => {
        throw new Error(`Could not start the sandbox on its default port (${String(error)}). Is another demo running?`);
      }),
    // The sandbox's API spec: open it and click Call above an operation.
    workspaceFiles: [SANDBOX_SPEC_PATH],
    userSettings: () => ({
      'fortellis.profiles': [DEMO_PROFILE],
      'fortellis.activeProfile': DEMO_PROFILE.name,
      ...QUIET_WORKBENCH_SETTINGS,
      ...NO_PORT_FORWARDING_SETTINGS,
    }),
  });
  // Its baseUrl variable is where this sandbox serves the API: written once the sandbox runs.
  const collection = fortellisCollection(`${session.sandbox.apiBaseUrl}${SANDBOX_SPEC_BASE_PATH}`);
  await writeFile(join(session.workspace, DEMO_COLLECTION_FILE), `${JSON.stringify(collection, null, 2)}\n`);
  const url = `${session.server.baseUrl}/?folder=${encodeURIComponent(session.workspace)}`;
  return { ...session, url, guide: demoGuide(url, session.sandbox) };
}

/** What the demo prints: where things are, and what to try for each flow. */
function demoGuide(url: string, sandbox: Sandbox): string {
  const vehicles = `${sandbox.apiBaseUrl}/cdk-test/sales/v1/vehicles`;
  const inactive = SANDBOX_SUBSCRIPTIONS.find((subscription) => subscription.status !== 'active')?.subscriptionId;
  return [
    '',
    `VS Code with Fortellis Auth:  ${url}`,
    `Sandbox authorization server: ${sandbox.issuer}`,
    `Demo app (sandbox only):      API key ${DEMO_CLIENT.clientId}, API secret ${DEMO_CLIENT.clientSecret}`,
    `Profile "${DEMO_PROFILE.name}" is ready (Local sandbox, Subscription-Id "${DEMO_PROFILE.subscriptionId}"). In VS Code press F1 and try:`,
    '  Get Fortellis Token           enter the API secret above; the status bar counts down ("Fortellis: sandbox · 59m").',
    '  Copy Token, Renew Token       or click the countdown: Token Actions (copy, renew, switch, edit, sign out, log).',
    '  Add Profile…, Edit Profile…   a second profile: Local sandbox, the same key and secret (a wrong one is refused);',
    '  Switch Profile…               then switch between the two.',
    `  Call API…                     GET ${vehicles}, Subscription-Id "test"`,
    `                                (or "${inactive}" for a gateway error and its hint).`,
    '  Copy Request as curl          on a response view (or its "Copy as curl" lens): the request as a curl command.',
    '  New Request…                  a request in an editor: type the path after {{base}}/cdk-test/ and a JSON body (checked as',
    '                                you type), then click "Send with Fortellis token" above it.',
    '  Send Request with Fortellis Token   the same from F1, for the request at the cursor of any .http file.',
    `  Import Postman Collection…    ${DEMO_COLLECTION_FILE} in the workspace: a .http file; send any request of it the same way.`,
    "  Insert Request Snippet        the same request, in the open file's language, reading the token from FORTELLIS_TOKEN.",
    '  Request History…              the requests sent: Send Again (fresh token, new Request-Id), Open Response, Save as .http;',
    '  Clear Request History         forgets them.',
    "  Inspect Token                 the claims, and the signature checked against the sandbox's keys.",
    `  API spec                      open ${DEMO_SPEC_FILE} in the Explorer and click Call above GET /vehicles: the response is`,
    '                                checked against the spec (GET …/recalls breaks it on purpose); also Insert Snippet…, Open as .http.',
    '  Write Token to File…          currentToken.json in the workspace, rewritten on every renewal;',
    '  Stop Writing Token to File…   ends that (the file stays).',
    'Browser sign-in (after Get Fortellis Token, which stores the secret; any user name and password on the sign-in page):',
    "  Sign In with Browser          the profile's callback mode, by default the URI handler. In code-server the browser comes",
    "                                back through code-server's /callback page, whose URL changes with every sign-in",
    '                                (vscode-reqid): this sandbox accepts it; Fortellis redirects only to a URL registered',
    '                                exactly, so with a real app in code-server use the loopback mode.',
    `  loopback mode                 the one for code-server: in "Preferences: Open User Settings (JSON)" add`,
    '                                "callbackMode": "loopback" to the profile; the browser lands on the extension\'s page at',
    `                                ${DEMO_CLIENT.redirectUris?.[0]} (register that URL for your Fortellis app).`,
    '  paste mode                    "callbackMode": "paste": nothing listens there; copy the address the browser lands on',
    "                                into VS Code's input box.",
    '  Sign In with Browser (Legacy Implicit Flow)   tokens in the URL fragment, read by the loopback page; no refresh token.',
    '  Renew Token                   after a code sign-in it renews the user token too, with the refresh token.',
    "  Show Callback URL             the URL to register for the profile's callback mode, copied.",
    "  Choose Token…                 after a sign-in: Call API, specs, snippets and Copy Token use the user's token (or the app's).",
    `  The sign-in page is the sandbox's, at ${new URL(sandbox.issuer).origin}: code-server opens it through its port`,
    '  proxy (/proxy/<port>/…), and the sandbox sends the browser on to its own address.',
    'Also: Sign Out, Remove Profile…, Show Log, and "Welcome: Open Walkthrough…" → Get Started with Fortellis Auth.',
    '',
  ].join('\n');
}
