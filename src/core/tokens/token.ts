/** A token as the extension holds it: what the server issued, and when it expires. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly scope: string | undefined;
  /** Epoch ms when the response arrived: the lifetime counts from here, not from when the request was sent. */
  readonly receivedAt: number;
  readonly expiresAt: number;
  /** Sign-in with offline_access only. */
  readonly refreshToken?: string;
  /** Sign-in with openid only. */
  readonly idToken?: string;
}
