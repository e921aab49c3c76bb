/**
 * `npm run cycles`: no import cycles (type-only imports count: a cycle of interfaces is a sign that an
 * interface lives in an implementation file), and the domain stays pure.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'pure-domain',
      comment: 'src/domain imports nothing else from the project',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|bench|tests)/', pathNot: '^src/domain/' },
    },
    {
      name: 'channels-without-pipeline',
      comment: 'channel adapters hand complaints to a ComplaintSink; they do not reach into the pipeline',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^src/pipeline/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
