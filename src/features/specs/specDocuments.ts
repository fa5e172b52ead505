import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { locateOperations, type OperationLocation } from '../../core/specs/specDocument';
import { looksLikeSpec } from '../../core/specs/specMarker';
import type { SpecWorkerClient } from '../../core/specs/specWorkerClient';
import type { SpecSource, SpecSummary } from '../../core/specs/specWorkerProtocol';

/** A spec read by the spec worker, and the source to ask it about again. */
export type LoadedSpec = (Extract<SpecSummary, { ok: true }> & { readonly source: SpecSource }) | Extract<SpecSummary, { ok: false }>;

/**
 * The specs open in editors: their operations' lines (a linear scan in this thread, for code lenses) and, on demand,
 * the spec read in full by the spec worker (parsed, its other files bundled in) for requests and checks, each kept
 * for the document's current version.
 */
export class SpecDocuments {
  private readonly located = new Map<string, { version: number; operations: OperationLocation[] | undefined }>();
  private readonly loaded = new Map<string, { version: number; spec: Promise<LoadedSpec> }>();

  /** `worker` reads the specs: nothing a spec holds runs in the extension host's thread but the scan for lenses. */
  constructor(readonly worker: SpecWorkerClient) {}

  /** undefined: not a spec. */
  operations(document: vscode.TextDocument): OperationLocation[] | undefined {
    const key = document.uri.toString();
    const known = this.located.get(key);
    if (known?.version === document.version) {
      return known.operations;
    }
    // Not a spec is kept too: VS Code asks for lenses again and again, and a large JSON document is not read each time.
    const text = document.getText();
    const operations = looksLikeSpec(text) ? locateOperations(text) : undefined;
    this.located.set(key, { version: document.version, operations });
    return operations;
  }

  load(document: vscode.TextDocument): Promise<LoadedSpec> {
    const key = document.uri.toString();
    const known = this.loaded.get(key);
    if (known?.version === document.version) {
      return known.spec;
    }
    const spec = this.loadSpec(document);
    this.loaded.set(key, { version: document.version, spec });
    return spec;
  }

  forget(document: vscode.TextDocument): void {
    this.located.delete(document.uri.toString());
    this.loaded.delete(document.uri.toString());
  }

  private async loadSpec(document: vscode.TextDocument): Promise<LoadedSpec> {
    // Refs to other files are read inside the spec's workspace folder only (a spec outside any: its own folder). Untitled
    // specs have no folder: their refs resolve from the workspace's first folder, and with none open are not read.
    const folder = (vscode.workspace.getWorkspaceFolder(document.uri) ?? (document.uri.scheme === 'file' ? undefined : vscode.workspace.workspaceFolders?.[0]))
      ?.uri.fsPath;
    const filePath = document.uri.scheme === 'file' ? document.uri.fsPath : join(folder ?? tmpdir(), 'untitled.yaml');
    const root = document.uri.scheme === 'file' ? (folder ?? dirname(filePath)) : folder;
    const source: SpecSource = { key: `${document.uri.toString()}#${document.version}`, text: document.getText(), filePath, root };
    const summary = await this.worker.load(source);
    return summary.ok ? { ...summary, source } : summary;
  }
}
