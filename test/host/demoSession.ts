import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CodeServer, installExtension, startCodeServer } from './codeServer';
import { repoRoot } from './paths';
import { QUIET_WORKBENCH_SETTINGS } from './workbench';
import { SANDBOX_SUBSCRIPTIONS } from '../sandbox/apiServer';
import { defaultSandboxLocation } from '../sandbox/sandboxDefaults';
import { DEMO_CLIENT, type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { SANDBOX_SPEC_PATH } from '../sandbox/spec/vehicleApi';

const VSIX = join(repoRoot, 'dist', 'fortellis-auth.vsix');

/** The profile the demo starts with: the sandbox's demo app, the extension's default callback mode (URI handler). */
export const DEMO_PROFILE = { name: 'sandbox', environment: 'sandbox', apiKey: DEMO_CLIENT.clientId, subscriptionId: 'test' } as const;

/** The sandbox's spec, in the demo's workspace. */
export const DEMO_SPEC_FILE = 'sandbox-vehicles.yaml';

/** What `npm run demo` runs: the sandbox where the extension's defaults expect it, and code-server with the VSIX installed. */
export interface DemoSession {
  sandbox: Sandbox;
  server: CodeServer;
  /** The folder the demo's VS Code window opens (not a git repository): it holds the sandbox's API spec only. */
  workspace: string;
  /** code-server's user-data folder: settings.json and the logs (the extension's log channel included). */
  userDataDir: string;
  /** Open this in a browser. */
  url: string;
  /** What to try, flow by flow: printed by the demo. */
  guide: string;
  stop(): Promise<void>;
}

/**
 * Starts the demo: the sandbox on the port of the "fortellis.sandbox.issuer" default (so the default settings reach it),
 * and code-server, a real VS Code, with the packaged extension installed and the "sandbox" profile ready.
 * `npm run demo` and the newcomer tour (test/e2e/tour.e2e.test.ts) both start it through this function.
 */
export async function startDemo(): Promise<DemoSession> {
  const sandbox = await startSandbox(defaultSandboxLocation()).catch((error: unknown) => {
    throw new Error(`Could not start the sandbox on its default port (${String(error)}). Is another demo running?`);
  });
  const tempDir = await mkdtemp(join(tmpdir(), 'fortellis-demo-'));
  const dirs = { userData: join(tempDir, 'user-data'), extensions: join(tempDir, 'extensions'), workspace: join(tempDir, 'workspace') };
  let server: CodeServer | undefined;
  try {
    await mkdir(dirs.workspace);
    // The sandbox's API spec: open it and click Call above an operation.
    await copyFile(SANDBOX_SPEC_PATH, join(dirs.workspace, DEMO_SPEC_FILE));
    await installExtension(VSIX, dirs.extensions, dirs.userData);
    server = await startCodeServer({
      userDataDir: dirs.userData,
      extensionsDir: dirs.extensions,
      smokeTestDriver: false,
      userSettings: {
        'fortellis.profiles': [DEMO_PROFILE],
        'fortellis.activeProfile': DEMO_PROFILE.name,
        ...QUIET_WORKBENCH_SETTINGS,
        // Else code-server pops up "Your application running on port 8123 is available" whenever a loopback sign-in
        // listens there: the browser must not go to that port through code-server's proxy, but straight to it.
        'remote.autoForwardPorts': false,
      },
    });
  } catch (error) {
    await sandbox.close();
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  const url = `${running.baseUrl}/?folder=${encodeURIComponent(dirs.workspace)}`;
  let stopping: Promise<void> | undefined;
  return {
    sandbox,
    server: running,
    workspace: dirs.workspace,
    userDataDir: dirs.userData,
    url,
    guide: demoGuide(url, sandbox),
    stop: () =>
      (stopping ??= (async () => {
        await running.stop();
        await sandbox.close();
        await rm(tempDir, { recursive: true, force: true });
      })()),
  };
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
    "  Insert Request Snippet        the same request, in the open file's language, reading the token from FORTELLIS_TOKEN.",
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
    `  The sign-in page is the sandbox's, at ${new URL(sandbox.issuer).origin}: code-server opens it through its port`,
    '  proxy (/proxy/<port>/…), and the sandbox sends the browser on to its own address.',
    'Also: Sign Out, Remove Profile…, Show Log, and "Welcome: Open Walkthrough…" → Get Started with Fortellis Auth.',
    '',
  ].join('\n');
}
