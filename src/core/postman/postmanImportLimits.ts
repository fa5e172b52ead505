/**
 * What a Postman collection may be, and the error that says why one cannot be imported, in words for the user: thrown
 * in the Postman worker and in the extension host alike (without the SDK, which only the worker loads).
 */
export class PostmanImportError extends Error {}

/** A collection larger than this is refused: Fortellis' own are well under 1 MB. */
export const MAX_COLLECTION_BYTES = 5 * 1024 * 1024;

export function checkCollectionSize(bytes: number): void {
  if (bytes > MAX_COLLECTION_BYTES) {
    throw new PostmanImportError(
      `The Postman collection is larger than ${MAX_COLLECTION_BYTES / 1024 / 1024} MB: export the folders you need as a smaller collection.`,
    );
  }
}
