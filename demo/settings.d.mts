// Types for settings.mjs.
import type { MockProviders } from './mocks/index.mjs';

export type DemoSettings = Record<'hcss' | 'healthtap' | 'bwell' | 'hint', Record<string, unknown>>;

export const PARTNER: { readonly id: string; readonly name: string };
export const ROUTES: Readonly<
  Record<
    | 'oauth'
    | 'server'
    | 'status'
    | 'disconnect'
    | 'state'
    | 'reset'
    | 'clear'
    | 'signin'
    | 'signout'
    | 'break',
    string
  >
>;
export const CALLBACK_PATH: string;
export const SIGNIN_PATH: string;
export const HCSS_ARRIVAL_PATH: string;
export const KESTREL_USER: {
  readonly name: string;
  readonly email: string;
  readonly password: string;
};
export const HINT_LANDING_PATH: string;

export function demoSettings(
  env: Readonly<Record<string, string | undefined>>,
  mocks: MockProviders,
): DemoSettings;
export function registerWithMocks(
  mocks: MockProviders,
  settings: DemoSettings,
  origin: string,
): void;
export function publicConfig(settings: DemoSettings): Record<string, unknown>;
