-- AlterTable
ALTER TABLE "Variation" ADD COLUMN "blockKind" TEXT;
ALTER TABLE "Variation" ADD COLUMN "costEstimateUsd" REAL;
ALTER TABLE "Variation" ADD COLUMN "vendorRequestId" TEXT;

-- CreateTable
CREATE TABLE "Gallery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "mode" TEXT NOT NULL DEFAULT 'standard',
    "revealedAt" DATETIME,
    "seenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "Gallery_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GalleryItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "galleryId" TEXT NOT NULL,
    "assetId" TEXT NOT NULL,
    "variationId" TEXT,
    "position" INTEGER NOT NULL,
    "caption" TEXT NOT NULL DEFAULT '',
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GalleryItem_galleryId_fkey" FOREIGN KEY ("galleryId") REFERENCES "Gallery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShareLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "galleryId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    CONSTRAINT "ShareLink_galleryId_fkey" FOREIGN KEY ("galleryId") REFERENCES "Gallery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewVerdict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "galleryId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "shareId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "reviewerName" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewVerdict_galleryId_fkey" FOREIGN KEY ("galleryId") REFERENCES "Gallery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "galleryId" TEXT NOT NULL,
    "itemId" TEXT,
    "shareId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "reviewerName" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewComment_galleryId_fkey" FOREIGN KEY ("galleryId") REFERENCES "Gallery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BlindVote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "galleryId" TEXT NOT NULL,
    "itemAId" TEXT NOT NULL,
    "itemBId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "shareId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "reviewerName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BlindVote_galleryId_fkey" FOREIGN KEY ("galleryId") REFERENCES "Gallery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PriceEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "targetId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "amountUsd" REAL NOT NULL,
    "source" TEXT NOT NULL,
    "effectiveAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Budget" (
    "workspaceId" TEXT NOT NULL PRIMARY KEY,
    "monthlyUsd" REAL,
    "sessionCapUsd" REAL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SafetyRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SafetyEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "sessionId" TEXT,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "instruction" TEXT NOT NULL,
    "targets" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "number" INTEGER NOT NULL DEFAULT 0,
    "instruction" TEXT NOT NULL,
    "negativePrompt" TEXT NOT NULL DEFAULT '',
    "params" TEXT NOT NULL,
    "targets" TEXT NOT NULL,
    "parentVariationId" TEXT,
    "sourceRunId" TEXT,
    "sourceKind" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" DATETIME,
    "starred" BOOLEAN NOT NULL DEFAULT false,
    "rating" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT 'edit',
    CONSTRAINT "Run_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Run_parentVariationId_fkey" FOREIGN KEY ("parentVariationId") REFERENCES "Variation" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("createdAt", "deletedAt", "id", "instruction", "negativePrompt", "note", "number", "params", "parentVariationId", "rating", "sessionId", "sourceKind", "sourceRunId", "starred", "targets") SELECT "createdAt", "deletedAt", "id", "instruction", "negativePrompt", "note", "number", "params", "parentVariationId", "rating", "sessionId", "sourceKind", "sourceRunId", "starred", "targets" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_sessionId_createdAt_idx" ON "Run"("sessionId", "createdAt");
CREATE INDEX "Run_parentVariationId_idx" ON "Run"("parentVariationId");
CREATE INDEX "Run_sessionId_deletedAt_createdAt_idx" ON "Run"("sessionId", "deletedAt", "createdAt");
CREATE UNIQUE INDEX "Run_sessionId_number_key" ON "Run"("sessionId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Gallery_workspaceId_deletedAt_updatedAt_idx" ON "Gallery"("workspaceId", "deletedAt", "updatedAt");

-- CreateIndex
CREATE INDEX "GalleryItem_galleryId_position_idx" ON "GalleryItem"("galleryId", "position");

-- CreateIndex
CREATE INDEX "GalleryItem_variationId_idx" ON "GalleryItem"("variationId");

-- CreateIndex
CREATE UNIQUE INDEX "GalleryItem_galleryId_assetId_key" ON "GalleryItem"("galleryId", "assetId");

-- CreateIndex
CREATE UNIQUE INDEX "ShareLink_hash_key" ON "ShareLink"("hash");

-- CreateIndex
CREATE INDEX "ShareLink_galleryId_createdAt_idx" ON "ShareLink"("galleryId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewVerdict_galleryId_createdAt_idx" ON "ReviewVerdict"("galleryId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewVerdict_itemId_reviewerId_createdAt_idx" ON "ReviewVerdict"("itemId", "reviewerId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewComment_galleryId_createdAt_idx" ON "ReviewComment"("galleryId", "createdAt");

-- CreateIndex
CREATE INDEX "BlindVote_galleryId_createdAt_idx" ON "BlindVote"("galleryId", "createdAt");

-- CreateIndex
CREATE INDEX "BlindVote_galleryId_reviewerId_idx" ON "BlindVote"("galleryId", "reviewerId");

-- CreateIndex
CREATE INDEX "PriceEntry_targetId_effectiveAt_idx" ON "PriceEntry"("targetId", "effectiveAt");

-- CreateIndex
CREATE UNIQUE INDEX "SafetyRule_workspaceId_kind_value_key" ON "SafetyRule"("workspaceId", "kind", "value");

-- CreateIndex
CREATE INDEX "SafetyEvent_workspaceId_createdAt_idx" ON "SafetyEvent"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Variation_targetId_queuedAt_idx" ON "Variation"("targetId", "queuedAt");

-- CreateIndex
CREATE INDEX "Variation_queuedAt_idx" ON "Variation"("queuedAt");
