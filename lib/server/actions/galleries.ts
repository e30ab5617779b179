'use server';

import {
  addGalleryItemsSchema,
  captionGalleryItemSchema,
  createGallerySchema,
  galleryIdSchema,
  removeGalleryItemSchema,
  reorderGallerySchema,
  restoreGalleryItemSchema,
  updateGallerySchema,
} from '@/lib/schemas/gallery';
import { defineAction } from '../action';
import {
  addGalleryItems,
  captionGalleryItem,
  createGallery,
  deleteGallery,
  markGallerySeen,
  removeGalleryItem,
  reorderGallery,
  restoreGallery,
  restoreGalleryItem,
  updateGallery,
} from '../services/galleries';

// One line each: parsing, context and errors live in defineAction; rules live in the services.
export const createGalleryAction = defineAction('createGallery', createGallerySchema, createGallery);
export const addGalleryItemsAction = defineAction('addGalleryItems', addGalleryItemsSchema, addGalleryItems);
export const removeGalleryItemAction = defineAction('removeGalleryItem', removeGalleryItemSchema, removeGalleryItem);
export const restoreGalleryItemAction = defineAction('restoreGalleryItem', restoreGalleryItemSchema, restoreGalleryItem);
export const reorderGalleryAction = defineAction('reorderGallery', reorderGallerySchema, reorderGallery);
export const captionGalleryItemAction = defineAction('captionGalleryItem', captionGalleryItemSchema, captionGalleryItem);
export const updateGalleryAction = defineAction('updateGallery', updateGallerySchema, updateGallery);
export const deleteGalleryAction = defineAction('deleteGallery', galleryIdSchema, deleteGallery);
export const restoreGalleryAction = defineAction('restoreGallery', galleryIdSchema, restoreGallery);
export const markGallerySeenAction = defineAction('markGallerySeen', galleryIdSchema, markGallerySeen);
