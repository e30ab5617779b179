import 'server-only';
import { env } from '../../env';
import { defineProvider } from '../define-provider';
import { createAtlasCloudAdapter } from './adapter';
import { ATLASCLOUD_DEFAULT_BASE_URL } from './wire';

/**
 * ATLASCLOUD_API_KEY, ATLASCLOUD_BASE_URL (the names Atlas's own MCP server and ComfyUI nodes
 * read). Atlas rate-limits per account and per model without publishing numbers
 * (docs/en/errors), so the default concurrency stands.
 */
export const atlascloudProvider = defineProvider({
  id: 'atlascloud',
  create: () =>
    createAtlasCloudAdapter({ apiKey: env().ATLASCLOUD_API_KEY, baseUrl: env().ATLASCLOUD_BASE_URL ?? ATLASCLOUD_DEFAULT_BASE_URL }),
});
