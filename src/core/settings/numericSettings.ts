/**
 * The numeric settings and their limits. package.json declares the same limits for the Settings editor (a unit test
 * keeps the two equal), but VS Code does not enforce them: a hand-edited or workspace settings.json can hold any
 * value, so every read goes through clampSetting.
 */
export const NUMERIC_SETTINGS = {
  'tokenRenewal.secondsBeforeExpiry': { minimum: 30, maximum: 3000, default: 300 },
  'http.timeoutSeconds': { minimum: 1, maximum: 300, default: 30 },
  'signIn.timeoutSeconds': { minimum: 10, maximum: 3600, default: 300 },
  'copyToken.clearAfterSeconds': { minimum: 0, maximum: 3600, default: 60 },
} as const satisfies Record<string, NumericSettingLimits>;

export interface NumericSettingLimits {
  readonly minimum: number;
  readonly maximum: number;
  readonly default: number;
}

export type NumericSetting = keyof typeof NUMERIC_SETTINGS;

/** The value within the setting's limits: the default for anything not a finite number, else the nearest limit. */
export function clampSetting(name: NumericSetting, value: unknown): number {
  const limits: NumericSettingLimits = NUMERIC_SETTINGS[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return limits.default;
  }
  return Math.min(Math.max(Math.round(value), limits.minimum), limits.maximum);
}
