-- AlterTable
ALTER TABLE "Memo" ADD COLUMN     "lastRestoreNumber" INTEGER;

-- AlterTable
ALTER TABLE "MemoVersion" ADD COLUMN     "restoreUpdate" BYTEA;
