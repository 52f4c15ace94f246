// Lint rules that carry the architecture:
//  - module boundaries: apps -> constructs -> utils, never upward; scopes only reach what they own or share;
//    `type:testing` helpers (offline Terraform, embedded PostgreSQL) may be imported by tests only.
//  - `@cdktf/provider-aws` only by resource path: the package root costs ~2 s and ~500 MB to import.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const providerRootBan = {
  paths: [
    {
      name: '@cdktf/provider-aws',
      message: "Import by resource path instead (e.g. '@cdktf/provider-aws/lib/vpc'): the package root costs ~2 s and ~500 MB.",
    },
  ],
};

const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:infra', 'scope:shared'] },
  { sourceTag: 'scope:db', onlyDependOnLibsWithTags: ['scope:db', 'scope:shared'] },
  { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:ops', 'scope:db', 'scope:shared'] },
  // The services' own applications (apps/services/*): they ship as container images and know nothing of the platform.
  { sourceTag: 'scope:services', onlyDependOnLibsWithTags: ['scope:services'] },
  // Workspace scripts and benchmarks (npm run synth, bench:*) drive every part of the product; nothing imports them.
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:infra', 'scope:db', 'scope:ops', 'scope:shared'] },
];

const typeConstraints = (extra) => [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:construct', 'type:util', ...extra] },
  { sourceTag: 'type:construct', onlyDependOnLibsWithTags: ['type:construct', 'type:util', ...extra] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...extra] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
];

const boundaries = (extra) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [...scopeConstraints, ...typeConstraints(extra)],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules', '**/dist', '**/cdktf.out', '**/.nx', '**/coverage', 'tmp', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      'no-restricted-imports': ['error', providerRootBan],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Tests may use the testing helpers; production code may not.
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['type:testing']),
      'no-restricted-imports': ['error', providerRootBan],
    },
  },
  {
    // Jest's `it.only`, `describe.skip` and friends never land in main.
    files: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only' },
        { object: 'it', property: 'skip' },
        { object: 'describe', property: 'only' },
        { object: 'describe', property: 'skip' },
        { object: 'test', property: 'only' },
        { object: 'test', property: 'skip' },
      ],
      'no-restricted-globals': ['error', 'xit', 'xdescribe', 'fit', 'fdescribe'],
    },
  },
];
