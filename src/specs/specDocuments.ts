import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { locateOperations, type OperationLocation, parseSpec, type ParsedSpec, type SpecProblem } from '../core/specs/specDocument';
import { looksLikeSpec } from '../core/specs/specMarker';
import type { BundledSpec } from '../core/specs/specModel';
import { bundleSpec } from '../core/specs/specRefs';

export type LoadedSpec =
  | { readonly ok: true; readonly parsed: ParsedSpec; readonly bundled: BundledSpec; readonly problems: readonly SpecProblem[] }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/**
 * The specs open in editors: their operations' lines (a scan, for code lenses) and, on demand, the parsed spec with
 * its other files bundled in (for requests and checks), each kept for the document's current version.
 */
export class SpecDocuments {
  private readonly located = new Map<string, { version: number; operations: OperationLocation[] }>();
  private readonly loaded = new Map<string, { version: number; spec: Promise<LoadedSpec> }>();

  /** undefined: not a spec. */
  operations(document: vscode.TextDocument): OperationLocation[] | undefined {
    const key = document.uri.toString();
    const known = this.located.get(key);
    if (known?.version === document.version) {
      return known.operations;
    }
    const text = document.getText();
    if (!looksLikeSpec(text)) {
      return undefined;
    }
    const operations = locateOperations(text);
    this.located.set(key, { version: document.version, operations });
    return operations;
  }

  load(document: vscode.TextDocument): Promise<LoadedSpec> {
    const key = document.uri.toString();
    const known = this.loaded.get(key);
    if (known?.version === document.version) {
      return known.spec;
    }
    const spec = loadSpec(document);
    this.loaded.set(key, { version: document.version, spec });
    return spec;
  }

  forget(document: vscode.TextDocument): void {
    this.located.delete(document.uri.toString());
    this.loaded.delete(document.uri.toString());
  }
}

async function loadSpec(document: vscode.TextDocument): Promise<LoadedSpec> {
  const text = document.getText();
  const parse = parseSpec(text);
  if (!parse.ok) {
    return parse;
  }
  // Refs to other files are read inside the spec's workspace folder only (a spec outside any: its own folder). Untitled
  // specs have no folder: their refs resolve from the workspace's first folder, and with none open are not read.
  const folder = (vscode.workspace.getWorkspaceFolder(document.uri) ?? (document.uri.scheme === 'file' ? undefined : vscode.workspace.workspaceFolders?.[0]))
    ?.uri.fsPath;
  const filePath = document.uri.scheme === 'file' ? document.uri.fsPath : join(folder ?? tmpdir(), 'untitled.yaml');
  const root = document.uri.scheme === 'file' ? (folder ?? dirname(filePath)) : folder;
  const bundle = await bundleSpec(parse.spec, filePath, text, root);
  if (!bundle.ok) {
    return { ok: false, problems: [...parse.problems, ...bundle.problems] };
  }
  return { ok: true, parsed: parse.spec, bundled: bundle.spec, problems: parse.problems };
}
