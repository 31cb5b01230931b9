// What svelte-check reads (npm run typecheck): Svelte's defaults. Named explicitly (--config) so that
// it does not go looking for the repository's vite.config.ts, which has no Svelte plugin.
export default {};
