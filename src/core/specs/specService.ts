/**
 * The spec worker's answers (see specWorkerProtocol): each spec read once (parsed, its `$ref`s bundled from files
 * inside its root only), kept with its response checker for the next request, the last few specs at most.
 */
import { type ResponseCheck, ResponseChecker } from './responseCheck';
import { responseBody } from '../apiRequests/responseView';
import { parseSpec, type ParsedSpec } from './specDocument';
import { specHttpFile } from './specHttpFile';
import { type BundledSpec, specOperation } from './specModel';
import { bundleSpec } from './specRefs';
import { filledRequest } from './specRequest';
import { specServer } from './specServers';
import type { SpecAnswers, SpecRequest, SpecRequestHandler, SpecRequestKind, SpecSource, SpecSummary } from './specWorkerProtocol';
import { messageOf } from '../text/errorMessage';

/** Specs kept read: the ones open in editors that were asked about last. */
const KEPT_SPECS = 4;

type Read = { readonly summary: Extract<SpecSummary, { ok: false }> } | { readonly summary: SpecSummary; readonly spec: ReadSpec };

interface ReadSpec {
  readonly parsed: ParsedSpec;
  readonly bundled: BundledSpec;
  readonly checker: ResponseChecker;
}

export class SpecService implements SpecRequestHandler {
  private readonly specs = new Map<string, Promise<Read>>();

  async handle<K extends SpecRequestKind>(request: Extract<SpecRequest, { kind: K }>): Promise<SpecAnswers[K]> {
    return (await this.answer(request)) as SpecAnswers[K];
  }

  private async answer(request: SpecRequest): Promise<SpecAnswers[SpecRequestKind]> {
    if (request.kind === 'check') {
      const { bodyText, truncated } = request.response;
      return { check: await this.check(request), body: responseBody(bodyText, truncated) };
    }
    const read = await this.read(request.source);
    if (request.kind === 'load') {
      return read.summary;
    }
    if (!('spec' in read)) {
      if (request.kind === 'operation') {
        return undefined;
      }
      throw new Error(unusable(read.summary));
    }
    const { spec } = read;
    switch (request.kind) {
      case 'operation':
        return specOperation(spec.bundled, request.method, request.path);
      case 'request': {
        const operation = specOperation(spec.bundled, request.method, request.path);
        if (!operation) {
          return { error: `the spec has no ${request.method} ${request.path} any more.` };
        }
        try {
          return { request: filledRequest(spec.bundled.document, operation, request.baseUrl, request.values) };
        } catch (error) {
          return { error: messageOf(error) };
        }
      }
      case 'httpFile':
        return specHttpFile(spec.bundled, spec.parsed.operations, request.options);
    }
  }

  private async check(request: Extract<SpecRequest, { kind: 'check' }>): Promise<ResponseCheck> {
    const read = await this.read(request.source);
    const documentedAs = String(request.response.status);
    if (!('spec' in read)) {
      return { verdict: 'unchecked', documentedAs, reason: unusable(read.summary) };
    }
    const operation = specOperation(read.spec.bundled, request.method, request.path);
    if (!operation) {
      return { verdict: 'unchecked', documentedAs, reason: `the spec has no ${request.method} ${request.path} any more` };
    }
    return read.spec.checker.check(operation, request.response);
  }

  private read(source: SpecSource): Promise<Read> {
    let read = this.specs.get(source.key);
    if (read) {
      // The most recently asked last: the first is the one to let go.
      this.specs.delete(source.key);
    } else {
      read = readSpec(source);
    }
    this.specs.set(source.key, read);
    for (const key of this.specs.keys()) {
      if (this.specs.size <= KEPT_SPECS) {
        break;
      }
      this.specs.delete(key);
    }
    return read;
  }
}

function unusable(summary: SpecSummary): string {
  const first = summary.problems[0];
  return `the spec cannot be used: ${first ? `line ${first.start.line + 1}: ${first.message}` : 'unknown problem'}`;
}

async function readSpec(source: SpecSource): Promise<Read> {
  const parse = parseSpec(source.text);
  if (!parse.ok) {
    return { summary: parse };
  }
  const bundle = await bundleSpec(parse.spec, source.filePath, source.text, source.root);
  if (!bundle.ok) {
    return { summary: { ok: false, problems: [...parse.problems, ...bundle.problems] } };
  }
  const { version, title, operations } = parse.spec;
  return {
    summary: { ok: true, version, title, operations, server: specServer(version, bundle.spec.document), problems: parse.problems },
    spec: { parsed: parse.spec, bundled: bundle.spec, checker: new ResponseChecker(bundle.spec) },
  };
}
