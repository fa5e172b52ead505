/**
 * Types for the part of oidc-provider 9 that the sandbox uses: the package ships none, and
 * @types/oidc-provider is not a dependency. Names and shapes follow oidc-provider's docs/README.md.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ClientMetadata {
    client_id: string;
    client_secret: string;
    token_endpoint_auth_method: 'client_secret_basic';
    application_type?: 'web' | 'native';
    grant_types: string[];
    response_types: string[];
    redirect_uris: string[];
  }

  /** A Koa context; `oidc` is there once oidc-provider has routed the request. */
  export interface KoaContextWithOIDC {
    readonly method: string;
    readonly path: string;
    readonly body: unknown;
    readonly response: { get(field: string): string | number | string[] | undefined };
    readonly oidc?: {
      readonly route: string;
      readonly params: Readonly<Record<string, string | string[] | undefined>>;
    };
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  /** An access token (or client credentials token) about to be issued. */
  export interface IssuedToken {
    readonly clientId: string;
    readonly scope?: string;
  }

  /** Whether the authenticated client may introspect or revoke the token. */
  export type TokenPolicy = (ctx: KoaContextWithOIDC, client: { readonly clientId: string }, token: { readonly clientId?: string }) => Promise<boolean>;

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string } };
  }

  export interface Account {
    accountId: string;
    claims(): Record<string, unknown>;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    clientAuthMethods?: string[];
    jwks?: { keys: object[] };
    cookies?: { keys?: string[] };
    responseTypes?: string[];
    routes?: Partial<Record<'authorization' | 'token' | 'jwks' | 'userinfo' | 'introspection' | 'revocation' | 'end_session', string>>;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: unknown) => boolean };
    ttl?: Partial<Record<'AccessToken' | 'AuthorizationCode' | 'ClientCredentials' | 'Grant' | 'IdToken' | 'Interaction' | 'RefreshToken' | 'Session', number>>;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: IssuedToken) => Promise<Record<string, unknown> | undefined>;
    features?: {
      clientCredentials?: { enabled: boolean };
      devInteractions?: { enabled: boolean };
      dPoP?: { enabled: boolean };
      introspection?: { enabled: boolean; allowedPolicy?: TokenPolicy };
      pushedAuthorizationRequests?: { enabled: boolean };
      revocation?: { enabled: boolean; allowedPolicy?: TokenPolicy };
      userinfo?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: KoaContextWithOIDC) => Promise<string | string[] | undefined>;
        getResourceServerInfo?: (ctx: KoaContextWithOIDC, resourceIndicator: string) => Promise<ResourceServerInfo>;
      };
    };
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    /** The client model: its prototype's redirectUriAllowed decides which redirect_uri values a client may use. */
    readonly Client: { prototype: { redirectUriAllowed(this: unknown, redirectUri: string): boolean } };
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: Middleware): this;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      readonly statusCode: number;
      readonly error_description?: string;
    }
    class InvalidScope extends OIDCProviderError {
      constructor(description: string, scope?: string);
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
  }
}
