import * as vscode from 'vscode';
import type { TokenUseParts } from '../../tokenAcquirer/tokenAcquirer';
import { looksLikeSpec, SPEC_LANGUAGE_IDS } from '../../core/specs/specMarker';
import { messageOf } from '../../core/text/errorMessage';
import type { Log } from '../../platform/log';

/**
 * What activation registers for specs: a listener that looks at each YAML or JSON document opened (a regular
 * expression over its text) and, at the first OpenAPI spec, loads the spec bundle (dist/specFeatures.js: the parser,
 * the validator, the code lenses and commands) with import(). Until then specs cost activation nothing.
 * `parts` gives what a call needs (the commands' bundle): asked for only when a code lens is clicked.
 */
export function registerSpecHook(parts: () => Promise<TokenUseParts>, log: Log): vscode.Disposable {
  let loading: Promise<vscode.Disposable | undefined> | undefined;
  let disposed = false;
  const consider = (document: vscode.TextDocument): void => {
    if (loading || disposed || !SPEC_LANGUAGE_IDS.includes(document.languageId) || !looksLikeSpec(document.getText())) {
      return;
    }
    loading = import('./specFeatures.js').then(
      ({ SpecFeatures }) => (disposed ? undefined : new SpecFeatures(parts, log)),
      (error: unknown) => void log.error(`Loading the spec features failed: ${messageOf(error)}`),
    );
  };
  const listener = vscode.workspace.onDidOpenTextDocument(consider);
  vscode.workspace.textDocuments.forEach(consider);
  return {
    dispose: () => {
      disposed = true;
      listener.dispose();
      void loading?.then((features) => features?.dispose());
    },
  };
}
