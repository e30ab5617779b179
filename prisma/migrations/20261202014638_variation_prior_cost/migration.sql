-- AlterTable
ALTER TABLE "Variation" ADD COLUMN "priorCostUsd" REAL;
