/**
 * A Fortellis-like API gateway for the sandbox: checks the bearer token and the Subscription-Id as the Fortellis
 * gateway does, answers with its error codes, and echoes what it received. Fortellis does not document the body of
 * gateway errors; this one answers `{ code, message, requestId }`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FORTELLIS_HEADERS, JSON_MEDIA_TYPE } from '../../src/core/apiRequests/fortellisHeaders';
import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from '../../src/core/apiRequests/gatewayErrors';
import { createVehicleApi } from './spec/vehicleApi';

/** Where the sandbox serves its APIs: apiBaseUrl is `http://host:port/api`. */
export const API_BASE_PATH = '/api';
/** As https://subscriptions.fortellis.io/v1/solution/subscriptions. */
export const SUBSCRIPTIONS_PATH = '/subscriptions/v1/solution/subscriptions';
/** GET: the API requests received, as JSON, for tests in another process. */
export const API_REQUESTS_PATH = '/__sandbox/api-requests';
/** `${API_BASE_PATH}${GATEWAY_ERRORS_PATH}/<CODE>` answers with that gateway error once the token is valid. */
export const GATEWAY_ERRORS_PATH = '/__gateway-errors';

/**
 * `${API_BASE_PATH}${CREDENTIAL_ECHO_PATH}` answers, once the token is valid, as a careless or hostile API might:
 * with the caller's own Authorization value encoded inside larger values (the agent tools must not pass it on).
 */
export const CREDENTIAL_ECHO_PATH = '/__echo-credential';

/** The audience of Fortellis access tokens. */
const API_PROVIDERS_AUDIENCE = 'api_providers';
/** Larger request bodies get 413 PAYLOAD-TOO-BIG. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

export interface SandboxSubscription {
  readonly subscriptionId: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly status: 'active' | 'inactive';
}

/** Every app on the sandbox has these subscriptions; "test" gives sample data, as on Fortellis. */
export const SANDBOX_SUBSCRIPTIONS: readonly SandboxSubscription[] = [
  { subscriptionId: 'test', orgId: 'sample-org', orgName: 'Sample data', status: 'active' },
  { subscriptionId: 'sandbox-dealer-1', orgId: 'sandbox-org-1', orgName: 'Sandbox Motors', status: 'active' },
  { subscriptionId: 'sandbox-dealer-inactive', orgId: 'sandbox-org-2', orgName: 'Dormant Autos', status: 'inactive' },
];

/** What the gateway received on `/api/**` (never the Authorization header). */
export interface ApiRequestRecord {
  readonly method: string;
  /** The URL path as received, e.g. /api/cdk-test/service/v1/things. */
  readonly path: string;
  /** The raw query string, without '?' ('' when none). */
  readonly query: string;
  /** The token was valid for this gateway. */
  readonly authenticated: boolean;
  /** The valid token's `sub`: the app's client id for a client-credentials token, the user for a browser sign-in's. */
  readonly subject?: string;
  readonly subscriptionId?: string;
  /** The Request-Id the client sent. */
  readonly requestId?: string;
  readonly accept?: string;
  readonly contentType?: string;
  /** Every header received but Authorization, by lower-case name (repeated ones joined with ", "). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as utf-8 text (at most MAX_API_BODY_BYTES of it). */
  readonly body: string;
  readonly status: number;
  readonly gatewayCode?: GatewayErrorCode;
}

/** The HTTP status the gateway answers each code with. */
const GATEWAY_ERROR_STATUS: Readonly<Record<GatewayErrorCode, number>> = {
  'API-DOES-NOT-EXIST': 404,
  'UNAUTHORIZED-API-ACCESS': 403,
  'TOKEN-EXPIRED': 401,
  'TOKEN-ISSUER-MISMATCH': 401,
  'TOKEN-AUDIENCE-MISMATCH': 401,
  'INVALID-TOKEN': 401,
  'QUOTA-EXCEEDED': 429,
  'MISSING-AUTHORIZATION': 401,
  'MISSING-SUBSCRIPTION-ID': 400,
  'API-SUBSCRIPTION-INACTIVE': 403,
  'SUBSCRIPTION-MISMATCH': 403,
  'SUBSCRIBER-CONFIGURATION-PENDING': 403,
  'API-CONFIGURATION-ERROR': 500,
  'ROUTING-ERROR': 502,
  'PROCESSING-ERROR': 500,
  'TARGET-SYSTEM-UNREACHABLE': 503,
  'TARGET-SYSTEM-TIMED-OUT': 504,
  'TARGET-RESPONSE': 502,
  'PAYLOAD-TOO-BIG': 413,
};

interface GatewayError {
  readonly code: GatewayErrorCode;
  readonly message: string;
}

export interface ApiGateway {
  /** Serves the request when its path is the gateway's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  requests(): ApiRequestRecord[];
  resetRequests(): void;
}

/** The gateway of a sandbox whose tokens come from `issuer`, signed with the keys of `publicJwks`. */
export async function createApiGateway(issuer: string, publicJwks: { keys: object[] }): Promise<ApiGateway> {
  const jose = await import('jose');
  const keys = jose.createLocalJWKSet(publicJwks as Parameters<typeof jose.createLocalJWKSet>[0]);
  const records: ApiRequestRecord[] = [];
  const vehicleApi = createVehicleApi();

  /**
   * The issuer is checked before the signature: a token from another Fortellis server (dev, the deprecated one)
   * is signed with that server's keys, and the gateway names the issuer rather than calling the token invalid.
   */
  /** The `sub` of a bearer token already validated. */
  function subjectOf(authorization: string | undefined): string | undefined {
    const sub = jose.decodeJwt(/^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '').sub;
    return typeof sub === 'string' ? sub : undefined;
  }

  async function authenticate(authorization: string | undefined): Promise<GatewayError | undefined> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      return authorization
        ? { code: 'INVALID-TOKEN', message: 'The Authorization header is not "Bearer <token>".' }
        : { code: 'MISSING-AUTHORIZATION', message: 'No Authorization header.' };
    }
    let iss: unknown;
    try {
      iss = jose.decodeJwt(token).iss;
    } catch {
      return { code: 'INVALID-TOKEN', message: 'The bearer token is not a JWT.' };
    }
    if (iss !== issuer) {
      const from = typeof iss === 'string' ? `was issued by ${iss}` : 'names no issuer';
      return { code: 'TOKEN-ISSUER-MISMATCH', message: `The token ${from}; this gateway accepts tokens from ${issuer}.` };
    }
    try {
      await jose.jwtVerify(token, keys, { issuer, audience: API_PROVIDERS_AUDIENCE, algorithms: ['RS256'], requiredClaims: ['exp'] });
      return undefined;
    } catch (error) {
      if (error instanceof jose.errors.JWTExpired) {
        return { code: 'TOKEN-EXPIRED', message: 'The token has expired.' };
      }
      if (error instanceof jose.errors.JWTClaimValidationFailed && error.claim === 'aud') {
        return { code: 'TOKEN-AUDIENCE-MISMATCH', message: `The token's audience is not ${API_PROVIDERS_AUDIENCE}.` };
      }
      return { code: 'INVALID-TOKEN', message: 'The token could not be validated.' };
    }
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { body, tooBig } = await readBody(req);
    const requestId = header(req, FORTELLIS_HEADERS.requestId);
    const subscriptionId = header(req, FORTELLIS_HEADERS.subscriptionId);
    const answeredRequestId = requestId ?? randomUUID();
    const authError = await authenticate(header(req, FORTELLIS_HEADERS.authorization));
    const error = authError ?? gatewayErrorFor(url.pathname, subscriptionId, tooBig);
    // The operations of the sandbox's spec (test/sandbox/spec); any other path echoes the request.
    const echo =
      error || url.pathname !== `${API_BASE_PATH}${CREDENTIAL_ECHO_PATH}` ? undefined : credentialEcho(header(req, FORTELLIS_HEADERS.authorization) ?? '');
    const fromSpec = error || echo ? undefined : vehicleApi(req.method ?? 'GET', url.pathname.slice(API_BASE_PATH.length), url.searchParams, body);
    const status = error ? GATEWAY_ERROR_STATUS[error.code] : (fromSpec?.status ?? 200);
    records.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      authenticated: authError === undefined,
      ...defined('subject', authError === undefined ? subjectOf(header(req, FORTELLIS_HEADERS.authorization)) : undefined),
      ...defined('subscriptionId', subscriptionId),
      ...defined('requestId', requestId),
      ...defined('accept', header(req, FORTELLIS_HEADERS.accept)),
      ...defined('contentType', header(req, FORTELLIS_HEADERS.contentType)),
      headers: headersBut(req, FORTELLIS_HEADERS.authorization),
      body,
      status,
      ...defined('gatewayCode', error?.code),
    });
    const answer = error
      ? { code: error.code, message: error.message, requestId: answeredRequestId }
      : echo
        ? echo
        : fromSpec
          ? fromSpec.body
          : {
              method: req.method,
              path: url.pathname,
              query: url.search.slice(1),
              subscriptionId,
              requestId: answeredRequestId,
              contentType: header(req, FORTELLIS_HEADERS.contentType),
              body,
            };
    sendJson(res, status, answer, { [FORTELLIS_HEADERS.requestId]: answeredRequestId });
  }

  async function serveSubscriptions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await readBody(req);
    const requestId = header(req, FORTELLIS_HEADERS.requestId) ?? randomUUID();
    const error = await authenticate(header(req, FORTELLIS_HEADERS.authorization));
    if (error) {
      sendJson(res, GATEWAY_ERROR_STATUS[error.code], { ...error, requestId }, { [FORTELLIS_HEADERS.requestId]: requestId });
      return;
    }
    sendJson(res, 200, { subscriptions: SANDBOX_SUBSCRIPTIONS }, { [FORTELLIS_HEADERS.requestId]: requestId });
  }

  async function serveRecords(res: ServerResponse): Promise<void> {
    // The records hold no Authorization header, so no token.
    sendJson(res, 200, records);
  }

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const serve = servingFor(req.method ?? 'GET', url.pathname);
      if (!serve) {
        return false;
      }
      const served = serve === 'api' ? serveApi(req, res, url) : serve === 'subscriptions' ? serveSubscriptions(req, res) : serveRecords(res);
      served.catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`Sandbox gateway failure: ${String(error)}`);
        }
      });
      return true;
    },
    requests: () => [...records],
    resetRequests: () => {
      records.length = 0;
    },
  };
}

function servingFor(method: string, path: string): 'api' | 'subscriptions' | 'records' | undefined {
  if (path === API_BASE_PATH || path.startsWith(`${API_BASE_PATH}/`)) {
    return 'api';
  }
  if (path === SUBSCRIPTIONS_PATH) {
    return 'subscriptions';
  }
  return method === 'GET' && path === API_REQUESTS_PATH ? 'records' : undefined;
}

/** The Authorization value ("Bearer <token>") inside larger encoded values, at each base64 alignment. */
function credentialEcho(authorization: string): Record<string, string> {
  const token = authorization.replace(/^Bearer\s+/i, '');
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return {
    authorizationBase64: base64(authorization),
    offsetByOne: Buffer.from(`x${token}y`, 'utf8').toString('base64url'),
    offsetByTwo: base64(`xy${token}`),
    wrappedAt76: (base64(`session=${token}`).match(/.{1,76}/g) ?? []).join('\r\n'),
    inAQuery: `https://api.example.com/next?token=${encodeURIComponent(token)}&page=2`,
  };
}

/** After the token: a forced code on the gateway-errors path, else the Subscription-Id, else the body size. */
function gatewayErrorFor(path: string, subscriptionId: string | undefined, tooBig: boolean): GatewayError | undefined {
  const forcedPrefix = `${API_BASE_PATH}${GATEWAY_ERRORS_PATH}/`;
  if (path.startsWith(forcedPrefix)) {
    const code = decodeURIComponent(path.slice(forcedPrefix.length));
    return isGatewayErrorCode(code)
      ? { code, message: `The sandbox answers ${code} on this path, as asked.` }
      : { code: 'API-DOES-NOT-EXIST', message: `"${code}" is not a Fortellis gateway error code.` };
  }
  if (subscriptionId === undefined) {
    return { code: 'MISSING-SUBSCRIPTION-ID', message: 'No Subscription-Id header.' };
  }
  const subscription = SANDBOX_SUBSCRIPTIONS.find((candidate) => candidate.subscriptionId === subscriptionId);
  if (!subscription) {
    return { code: 'SUBSCRIPTION-MISMATCH', message: `Subscription ${subscriptionId} does not belong to this app.` };
  }
  if (subscription.status !== 'active') {
    return { code: 'API-SUBSCRIPTION-INACTIVE', message: `Subscription ${subscriptionId} is not active.` };
  }
  return tooBig ? { code: 'PAYLOAD-TOO-BIG', message: `The request body is larger than ${MAX_API_BODY_BYTES} bytes.` } : undefined;
}

function isGatewayErrorCode(code: string): code is GatewayErrorCode {
  return (GATEWAY_ERROR_CODES as string[]).includes(code);
}

/** Reads the whole body (so that the client gets the answer), keeping at most MAX_API_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<{ body: string; tooBig: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size + chunk.length <= MAX_API_BODY_BYTES) {
        chunks.push(chunk);
      }
      size += chunk.length;
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), tooBig: size > MAX_API_BODY_BYTES }));
    req.on('error', reject);
  });
}

function headersBut(req: IncomingMessage, left: string): Record<string, string> {
  return Object.fromEntries(
    Object.keys(req.headers)
      .filter((name) => name !== left.toLowerCase())
      .map((name) => [name, header(req, name) ?? '']),
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': JSON_MEDIA_TYPE, ...headers }).end(JSON.stringify(body));
}
