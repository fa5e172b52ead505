/**
 * "Open as .http": every operation of a spec as one .http file (httpyac, REST Client), each request filled with the
 * spec's examples, reading the token from FORTELLIS_TOKEN and sending a new Request-Id each time.
 */
import { ENVIRONMENT_VARIABLES, FORTELLIS_HEADERS } from '../apiRequests/fortellisHeaders';
import { BEARER } from '../snippets/snippetRequest';
import { exampleValues, filledRequest } from './specRequest';
import { type BundledSpec, specOperation } from './specModel';
import type { OperationLocation } from './specDocument';

export interface SpecHttpFileOptions {
  readonly title: string;
  /** Where the operations are called (see mappedBaseUrl). */
  readonly baseUrl: string;
  readonly subscriptionId: string;
}

export function specHttpFile(spec: BundledSpec, operations: readonly OperationLocation[], options: SpecHttpFileOptions): string {
  const lines = [
    `# ${options.title}: every operation of the spec, filled with its examples. Send them with httpyac or REST Client.`,
    `# The token is read from ${ENVIRONMENT_VARIABLES.token}: "Fortellis: Get Fortellis Token" gives it to VS Code's integrated terminals.`,
    `@baseUrl = ${options.baseUrl}`,
    `@subscriptionId = ${options.subscriptionId}`,
    '',
  ];
  for (const location of operations) {
    const operation = specOperation(spec, location.method, location.path);
    if (!operation) {
      continue;
    }
    let request;
    try {
      request = filledRequest(spec.document, operation, '{{baseUrl}}', exampleValues(operation));
    } catch (error) {
      lines.push('###', `# ${operation.method} ${operation.path}: left out (${(error as Error).message})`, '');
      continue;
    }
    lines.push(
      '###',
      ...(operation.summary ? [`# ${operation.summary.replace(/\s+/g, ' ')}`] : []),
      ...(operation.operationId && /^[\w-]+$/.test(operation.operationId) ? [`# @name ${operation.operationId}`] : []),
      `${request.method} ${request.url}`,
      `${FORTELLIS_HEADERS.authorization}: ${BEARER} {{$processEnv ${ENVIRONMENT_VARIABLES.token}}}`,
      `${FORTELLIS_HEADERS.subscriptionId}: {{subscriptionId}}`,
      `${FORTELLIS_HEADERS.requestId}: {{$guid}}`,
      `${FORTELLIS_HEADERS.accept}: ${request.accept}`,
      ...request.headers.map(([name, value]) => `${name}: ${value}`),
      ...(request.body !== undefined ? [`${FORTELLIS_HEADERS.contentType}: ${request.contentType}`, '', request.body] : []),
      '',
    );
  }
  return lines.join('\n');
}
