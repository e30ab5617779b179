import { target, type ProviderInfo } from '../target-kit';

export const OFFLINE_INFO: ProviderInfo = { id: 'offline', label: 'Offline engine', envKey: null, docsUrl: '' };

export const OFFLINE_TARGETS = [
  target('offline', 'engine-v1', 'Offline engine (non-generative)', 'offline', {
    maxReferences: 4,
    minInputSide: 1,
    sizes: ['auto', '1024x1024', '1536x1024', '1024x1536', '2048x2048'],
    pricePerImageUsd: 0,
    priceNote: 'Runs on this server.',
  }),
];
