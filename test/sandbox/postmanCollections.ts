/**
 * The sandbox API's Postman collections, laid out as Fortellis hands them out (v2.1: folders, a {{baseUrl}} collection variable, an
 * OAuth 2.0 auth block on the collection, a POST with a raw JSON body, a header of the API's own).
 */

export const V21_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** The sandbox's vehicles API as a Fortellis collection; `baseUrl` is the collection variable's value. */
export function fortellisCollection(baseUrl: string): Record<string, unknown> {
  return {
    info: { _postman_id: '5b1f0c3e-0000-4000-8000-000000000001', name: 'Sandbox Vehicles', schema: V21_SCHEMA },
    auth: {
      type: 'oauth2',
      oauth2: [
        { key: 'accessTokenUrl', value: 'https://identity.fortellis.io/oauth2/aus1p1ixy7YL8cMq02p7/v1/token', type: 'string' },
        { key: 'clientId', value: '{{clientId}}', type: 'string' },
        { key: 'clientSecret', value: '{{clientSecret}}', type: 'string' },
        { key: 'grant_type', value: 'client_credentials', type: 'string' },
      ],
    },
    variable: [
      { key: 'baseUrl', value: baseUrl, type: 'string' },
      { key: 'clientId', value: 'my-api-key', type: 'string' },
      { key: 'clientSecret', value: 'my-api-secret', type: 'string' },
      { key: 'vehicleId', value: 'V-1001', type: 'string' },
    ],
    item: [
      {
        name: 'Vehicles',
        item: [
          {
            name: 'List vehicles',
            request: {
              method: 'GET',
              header: [
                { key: 'Subscription-Id', value: '{{subscriptionId}}', type: 'text' },
                { key: 'Request-Id', value: '{{$guid}}', type: 'text' },
                { key: 'Accept', value: 'application/json', type: 'text' },
              ],
              url: { raw: '{{baseUrl}}/vehicles', host: ['{{baseUrl}}'], path: ['vehicles'] },
            },
          },
          {
            name: 'Add a vehicle',
            request: {
              method: 'POST',
              header: [
                { key: 'Content-Type', value: 'application/json', type: 'text' },
                { key: 'X-Dealer-Code', value: 'D-42', type: 'text' },
              ],
              body: {
                mode: 'raw',
                raw: '{\n  "vin": "1HGCM82633A004352",\n  "make": "Honda",\n  "model": "Accord",\n  "year": 2023,\n  "mileage": 12000\n}',
                options: { raw: { language: 'json' } },
              },
              url: { raw: '{{baseUrl}}/vehicles', host: ['{{baseUrl}}'], path: ['vehicles'] },
            },
          },
          {
            name: 'Recalls',
            item: [
              {
                name: 'Recalls of a vehicle',
                request: {
                  method: 'GET',
                  auth: { type: 'bearer', bearer: [{ key: 'token', value: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', type: 'string' }] },
                  url: { raw: '{{baseUrl}}/vehicles/{{vehicleId}}/recalls', host: ['{{baseUrl}}'], path: ['vehicles', '{{vehicleId}}', 'recalls'] },
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * A large collection in the same layout: `folders` folders of the three requests above, each copy with its own names
 * and a description padded to make the file about `targetBytes` long (the bench's "a collection of a big API").
 */
export function largeFortellisCollection(baseUrl: string, folders: number, targetBytes: number): Record<string, unknown> {
  const collection = fortellisCollection(baseUrl);
  const [vehicles] = collection.item as Array<{ name: string; item: unknown[] }>;
  const perFolder = Math.max(0, Math.floor(targetBytes / folders) - JSON.stringify(vehicles).length);
  const padding = 'Generated text that stands for the long descriptions real collections carry. '.repeat(Math.ceil(perFolder / 78)).slice(0, perFolder);
  collection.item = Array.from({ length: folders }, (_, index) => ({ ...vehicles, name: `Vehicles ${index}`, description: padding }));
  return collection;
}
