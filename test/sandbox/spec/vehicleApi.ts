/**
 * The operations of the sandbox's own spec (sandbox-vehicles.yaml), served by the sandbox's gateway once a request's
 * token and Subscription-Id have passed: an in-memory inventory per gateway. GET …/recalls answers a body that breaks
 * its schema on purpose (a date in the wrong format, a string for a boolean, a required field missing), so that the
 * response check has something to find.
 */
import { join } from 'node:path';
import { repoRoot } from '../../host/paths';

/** The spec, in the repository. */
export const SANDBOX_SPEC_PATH = join(repoRoot, 'test', 'sandbox', 'spec', 'sandbox-vehicles.yaml');
/** Its basePath, after the API base: with the sandbox's defaults, http://127.0.0.1:4500/api/sandbox/vehicles/v1. */
export const SANDBOX_SPEC_BASE_PATH = '/sandbox/vehicles/v1';

interface Vehicle {
  vehicleId: string;
  vin: string;
  make: string;
  model: string;
  year: number;
  mileage?: number;
  status: 'in-stock' | 'sold' | 'in-service';
  addedOn: string;
}

export interface SpecAnswer {
  readonly status: number;
  readonly body: unknown;
}

const MAKES = ['Ford', 'Toyota', 'Honda'];

/** Answers the spec's operations under `apiPath` (the path after /api); undefined for any other path. */
export function createVehicleApi(): (method: string, apiPath: string, query: URLSearchParams, body: string) => SpecAnswer | undefined {
  const vehicles: Vehicle[] = [
    { vehicleId: 'V-1001', vin: '1FTFW1ET5DFC10312', make: 'Ford', model: 'F-150', year: 2021, mileage: 18500, status: 'in-stock', addedOn: '2026-10-01' },
    { vehicleId: 'V-1002', vin: '4T1BF1FK5CU123456', make: 'Toyota', model: 'Camry', year: 2019, mileage: 40210, status: 'in-service', addedOn: '2026-09-12' },
  ];
  const notFound = (vehicleId: string): SpecAnswer => ({ status: 404, body: { code: 'NOT-FOUND', message: `No vehicle ${vehicleId}.` } });
  return (method, apiPath, query, body) => {
    // The test namespace (/sandbox-test/…) is the same API.
    const match = /^\/sandbox(?:-test)?\/vehicles\/v1(\/.*)?$/.exec(apiPath);
    if (!match) {
      return undefined;
    }
    const path = match[1] ?? '/';
    if (path === '/vehicles' && method === 'GET') {
      const make = query.get('make');
      const limit = Number(query.get('limit') ?? 10);
      const items = vehicles.filter((vehicle) => !make || vehicle.make === make).slice(0, Number.isInteger(limit) && limit > 0 ? limit : 10);
      return { status: 200, body: { items, totalCount: items.length } };
    }
    if (path === '/vehicles' && method === 'POST') {
      let input: Partial<Vehicle>;
      try {
        input = JSON.parse(body) as Partial<Vehicle>;
      } catch {
        return { status: 400, body: { code: 'INVALID-BODY', message: 'The body is not JSON.' } };
      }
      if (typeof input.vin !== 'string' || !MAKES.includes(String(input.make)) || typeof input.model !== 'string' || !Number.isInteger(input.year)) {
        return { status: 400, body: { code: 'INVALID-VEHICLE', message: 'vin, make (Ford, Toyota or Honda), model and year are required.' } };
      }
      const vehicle: Vehicle = {
        vehicleId: `V-${1001 + vehicles.length}`,
        vin: input.vin,
        make: String(input.make),
        model: input.model,
        year: Number(input.year),
        ...(Number.isInteger(input.mileage) && { mileage: Number(input.mileage) }),
        status: 'in-stock',
        addedOn: new Date().toISOString().slice(0, 10),
      };
      vehicles.push(vehicle);
      return { status: 201, body: vehicle };
    }
    const one = /^\/vehicles\/([^/]+)(\/recalls)?$/.exec(path);
    if (one && method === 'GET') {
      const vehicleId = decodeURIComponent(one[1]);
      const vehicle = vehicles.find((candidate) => candidate.vehicleId === vehicleId);
      if (!vehicle) {
        return notFound(vehicleId);
      }
      return one[2]
        ? { status: 200, body: { vehicleId, recalls: [{ recallId: 'R-1', issuedOn: '31/12/2025', remedyAvailable: 'yes' }] } }
        : { status: 200, body: vehicle };
    }
    return { status: 404, body: { code: 'NOT-FOUND', message: `The sandbox vehicles API has no ${method} ${path}.` } };
  };
}
