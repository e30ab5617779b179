import type { AssetDto } from './run';

/**
 * Anything that can be compared: a reference or a variation of any run, any provider.
 * `facts` are what the compare grid diffs to label each image by what differs.
 */
export type CompareCandidate = {
  /** Stable key: the variation id, or `ref:<runId>:<position>` / `asset:<id>`. */
  key: string;
  label: string;
  kind: 'reference' | 'variation';
  asset: AssetDto;
  variationId?: string;
  facts: {
    provider?: string;
    model?: string;
    seed?: number;
    instruction?: string;
    negativePrompt?: string;
    /** Parameter snapshot of the run (size, format, strength, guidance, count...). */
    params?: Record<string, string | number | boolean | undefined>;
    runId?: string;
    runNumber?: number;
  };
};
