'use server';

import { createShareSchema, galleryRefSchema, revokeShareSchema, setGalleryModeSchema } from '@/lib/schemas/review';
import { defineAction } from '../action';
import { blindResults, revealGallery, setGalleryMode } from './blind-admin';
import { createShare, listShares, revokeShare } from './shares';

/** The designer's side of sharing and blind comparison (the share and blind panels of a gallery). */
export const listSharesAction = defineAction('listShares', galleryRefSchema, listShares);
export const createShareAction = defineAction('createShare', createShareSchema, createShare);
export const revokeShareAction = defineAction('revokeShare', revokeShareSchema, revokeShare);
export const blindResultsAction = defineAction('blindResults', galleryRefSchema, blindResults);
export const setGalleryModeAction = defineAction('setGalleryMode', setGalleryModeSchema, setGalleryMode);
export const revealGalleryAction = defineAction('revealGallery', galleryRefSchema, revealGallery);
