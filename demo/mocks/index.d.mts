// Types for index.mjs (plain JavaScript, so that node runs it as it is in tests).
export interface MockProvider {
  readonly name: string;
  readonly origin: string;
  readonly issued: { readonly codes: Set<string>; readonly tokens: Set<string> };
  register(registration: Record<string, unknown>): void;
  close(): Promise<void>;
}

export interface MockProviders {
  readonly hcss: MockProvider & {
    readonly authorizeUrl: string;
    readonly tokenUrl: string;
    readonly marketplaceUrl: string;
  };
  readonly healthtap: MockProvider & { readonly authorizeUrl: string; readonly tokenUrl: string };
  readonly bwell: MockProvider & { readonly graphqlUrl: string };
  readonly hint: MockProvider & { readonly baseUrl: string; readonly adminUrl: string };
  /** Every code and token the mocks issued. */
  issued(): { codes: string[]; tokens: string[] };
  close(): Promise<void>;
}

export const DEFAULT_PORTS: Readonly<Record<'hcss' | 'healthtap' | 'bwell' | 'hint', number>>;

export function startMockProviders(options?: {
  host?: string;
  ports?: number | Partial<Record<'hcss' | 'healthtap' | 'bwell' | 'hint', number>>;
  now?: () => number;
  coop?: boolean;
}): Promise<MockProviders>;

export const HCSS_USER: {
  readonly email: string;
  readonly password: string;
  readonly name: string;
};
export const HEALTHTAP_MEMBER: { readonly guid: string; readonly name: string };
export const BWELL_CONNECTIONS: Readonly<Record<string, { name: string; portal: string }>>;
export const HINT_PRACTICE: { readonly id: string; readonly name: string };
