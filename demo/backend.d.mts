// Types for backend.mjs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoSettings } from './settings.mjs';

export function createDemoBackend(options: {
  server: typeof import('../src/server/index.js');
  settings: DemoSettings;
  origin: string;
  fetch?: typeof fetch;
}): (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export function redact(value: unknown): string;
export function sanitize(value: unknown, key?: string): unknown;
export function sanitizeUrl(url: string): string;
