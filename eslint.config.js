import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'custom-elements.json', 'demo/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  wc.configs['flat/recommended'],
  lit.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='postMessage'][arguments.1.type='Literal'][arguments.1.value='*']",
          message: "Never postMessage to '*': name the target origin.",
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'core/ is pure: no window.' },
        { name: 'document', message: 'core/ is pure: no document.' },
        { name: 'location', message: 'core/ is pure: no location.' },
        { name: 'localStorage', message: 'core/ is pure.' },
        { name: 'sessionStorage', message: 'core/ is pure.' },
        { name: 'fetch', message: 'core/ gets fetch passed in.' },
      ],
    },
  },
  {
    // the server half runs in Node and fetch-style runtimes: no element, no flow, no window
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['../flow/*', '../oauth-connect*', '../index*', '../callback*', 'lit', 'lit/*'],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'server/ runs without a window.' },
        { name: 'document', message: 'server/ runs without a document.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'bench/**', '*.config.*', 'demo/server/**'],
    languageOptions: { globals: { ...globals.node } },
  },
);
