/**
 * The Callback URLs of the sign-in test app, shared by the integration runner and the end-to-end tests.
 * The sandbox itself accepts the URI handler's callback (code-server's changes with every sign-in).
 */
export { isCodeServerCallback } from '../sandbox/sandboxServer';

/** The loopback Callback URL registered for the test app. */
export const LOOPBACK_CALLBACK = 'http://127.0.0.1:8123/callback';
