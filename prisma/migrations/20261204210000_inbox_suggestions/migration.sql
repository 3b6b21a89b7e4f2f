-- AlterEnum
ALTER TYPE "InboxKind" ADD VALUE 'suggestion';
