import * as vscode from 'vscode';
import { isJsonMediaType, type SpecOperation } from '../../core/specs/specModel';
import { type FilledRequest, headersNotSent, parameterProblem, parametersToAsk, parameterWarning, suggestedValues } from '../../core/specs/specRequest';
import type { SpecWorkerClient } from '../../core/specs/specWorkerClient';
import type { SpecSource } from '../../core/specs/specWorkerProtocol';
import type { Log } from '../../platform/log';

const LEAVE_OUT = '$(circle-slash) Leave out';

/** The operation a form is for, and the spec to fill it from. */
export interface SpecFormTarget {
  readonly source: SpecSource;
  readonly operation: SpecOperation;
  /** The profile's API base the spec's paths are put under. */
  readonly baseUrl: string;
}

/**
 * The parameter form of a spec operation (Call, Insert Snippet): asks each parameter (enums picked, required ones
 * enforced, a pattern not checked only warned about) and, with `editBody`, lets the body be edited; the spec worker
 * fills in the request. Undefined when the user cancels; throws with the worker's reason when it could not fill it.
 */
export async function askSpecRequest(
  title: string,
  { source, operation, baseUrl }: SpecFormTarget,
  editBody: boolean,
  worker: SpecWorkerClient,
  log: Log,
): Promise<FilledRequest | undefined> {
  for (const reason of headersNotSent(operation)) {
    log.warn(`${title}: ${reason}`);
  }
  const values: Record<string, string> = {};
  for (const parameter of parametersToAsk(operation)) {
    const label = `${parameter.name} (${parameter.in}${parameter.required ? ', required' : ''})`;
    const suggestions = suggestedValues(parameter);
    if (Array.isArray(parameter.schema.enum)) {
      const items = [...suggestions.map((value) => ({ label: value, value })), ...(parameter.required ? [] : [{ label: LEAVE_OUT, value: '' }])];
      const picked = await vscode.window.showQuickPick(items, {
        title: `${title} · ${parameter.name}`,
        placeHolder: `${label}${parameter.description ? `: ${parameter.description}` : ''}`,
      });
      if (!picked) {
        return undefined;
      }
      values[parameter.name] = picked.value;
      continue;
    }
    const value = await vscode.window.showInputBox({
      title: `${title} · ${parameter.name}`,
      prompt: `${label}${parameter.description ? `: ${parameter.description}` : ''}${suggestions.length > 0 ? ` (e.g. ${suggestions.join(', ')})` : ''}${parameter.required ? '' : ' · empty leaves it out'}`,
      value: parameter.example !== undefined ? (suggestions[0] ?? '') : '',
      placeHolder: suggestions[0],
      ignoreFocusOut: true,
      validateInput: (input) => {
        const problem = parameterProblem(parameter, input);
        const warning = problem === undefined ? parameterWarning(parameter, input) : undefined;
        // A pattern not checked is a warning: the value can still be sent.
        return problem ?? (warning === undefined ? undefined : { message: warning, severity: vscode.InputBoxValidationSeverity.Warning });
      },
    });
    if (value === undefined) {
      return undefined;
    }
    values[parameter.name] = value;
  }
  const asked = await worker.ask({ kind: 'request', source, method: operation.method, path: operation.path, baseUrl, values });
  if (!asked.done) {
    throw new Error(asked.reason);
  }
  if ('error' in asked.value) {
    throw new Error(asked.value.error);
  }
  const filled = asked.value.request;
  return editBody && filled.body !== undefined ? withEditedBody(title, filled, filled.body) : filled;
}

/** The body (`example`, compact when it is JSON) in an input box; JSON is given back pretty-printed. Undefined when the user cancels. */
async function withEditedBody(title: string, filled: FilledRequest, example: string): Promise<FilledRequest | undefined> {
  const json = isJsonMediaType(filled.contentType ?? '');
  const body = await vscode.window.showInputBox({
    title: `${title} · Body`,
    prompt: `${filled.contentType} body, from the spec's example or schema`,
    value: json ? JSON.stringify(JSON.parse(example)) : example,
    ignoreFocusOut: true,
    validateInput: (input) => (json ? jsonProblem(input) : undefined),
  });
  return body === undefined ? undefined : { ...filled, body: json ? JSON.stringify(JSON.parse(body), null, 2) : body };
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
}
