// Import boundaries, checked by every workspace's `pnpm lint` (run from the
// package's folder, so a path that starts with `../` has left the package).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'Folders import each other in a cycle: move the shared part into a folder both import, or turn one import around.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-relative-import-across-packages',
      severity: 'error',
      comment:
        "A relative import reaches into another package's files: declare the package in package.json and import it by name (its exports).",
      from: { pathNot: '^\\.\\./' },
      to: { path: '^\\.\\./', dependencyTypes: ['local'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|cdk\\.out|coverage|node_modules|\\.turbo)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
