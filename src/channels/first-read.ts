import type { ComplaintSink } from './complaint-sink';

/**
 * The sink a reader hands records to while it reads its source for the first time: every record carries
 * the import id, and the pipeline makes those older than the channel's history age historical tickets
 * (docs/importing-history.md). Without an import id the sink is returned as it is.
 */
export function firstReadSink(sink: ComplaintSink, importId: string | undefined): ComplaintSink {
  if (!importId) return sink;
  return {
    submit: (candidate, origin) => sink.submit(candidate, { ...origin, firstRead: importId }),
    ...(sink.finishImport ? { finishImport: sink.finishImport.bind(sink) } : {}),
  };
}
