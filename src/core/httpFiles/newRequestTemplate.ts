/**
 * The request "New Request…" opens in an editor: a .http request under the profile's API base, with the Fortellis
 * headers, that Send Request with Fortellis Token sends as it is, and REST Client or httpyac too (the token from the
 * .env beside the file, see DOTENV_TOKEN_NOTE).
 */
import { commentText, DOTENV_TOKEN, DOTENV_TOKEN_NOTE, NEW_UUID, urlText } from '../text/httpFileText';
import { withoutTrailingSlash } from '../profiles/environments';

export interface NewRequestInputs {
  readonly profileName: string;
  readonly apiBaseUrl: string;
  /** The profile's default Subscription-Id; none: "test", the sample data most APIs answer. */
  readonly subscriptionId?: string;
}

export function newRequestText({ profileName, apiBaseUrl, subscriptionId }: NewRequestInputs): string {
  return [
    `# Fortellis Auth sends each request here with the token of profile "${commentText(profileName)}":`,
    '# click "Send with Fortellis token" above its request line, or run "Fortellis: Send Request with Fortellis Token".',
    '# Every send gets a new Request-Id, and a JSON body is checked as you type. Add requests below a ### line.',
    `# REST Client and httpyac send them too: ${DOTENV_TOKEN_NOTE}`,
    `@base = ${urlText(withoutTrailingSlash(apiBaseUrl))}`,
    '',
    '###',
    'POST {{base}}/cdk-test/',
    `Authorization: Bearer ${DOTENV_TOKEN}`,
    `Subscription-Id: ${subscriptionId || 'test'}`,
    `Request-Id: ${NEW_UUID}`,
    'Content-Type: application/json',
    'Accept: application/json',
    '',
    '{',
    '  ',
    '}',
    '',
  ].join('\n');
}
