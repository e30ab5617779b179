import 'server-only';
import { z } from 'zod';

/** The stored handle, and the answers of /prompt, /upload/image, /history and /queue (routes in adapter.ts). */
export const handleSchema = z.object({ promptId: z.string().min(1) });
export const queuedSchema = z.object({ prompt_id: z.string().min(1) });
export const uploadSchema = z.object({ name: z.string().min(1), subfolder: z.string().optional() });
const fileRef = z.object({ filename: z.string(), subfolder: z.string().optional(), type: z.string().optional() });
export const entrySchema = z.object({
  outputs: z.record(z.string(), z.object({ images: z.array(fileRef).optional() }).passthrough()).optional(),
  status: z
    .object({
      status_str: z.string().optional(),
      completed: z.boolean().optional(),
      messages: z.array(z.tuple([z.string(), z.unknown()])).optional(),
    })
    .nullable()
    .optional(),
});
export const queueSchema = z.object({
  queue_running: z.array(z.array(z.unknown())).default([]),
  queue_pending: z.array(z.array(z.unknown())).default([]),
});
export type FileRef = z.infer<typeof fileRef>;
