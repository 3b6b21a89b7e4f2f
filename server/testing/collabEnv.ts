/** The collaboration limits' variables at their production defaults (env.ts), for tests. */
export const DEFAULT_COLLAB_ENV = {
  COLLAB_MAX_FRAME_BYTES: 2 * 1024 * 1024,
  COLLAB_MAX_DOCUMENT_BYTES: 32 * 1024 * 1024,
  COLLAB_MESSAGES_PER_SECOND: 200,
  COLLAB_BYTES_PER_SECOND: 512 * 1024,
  COLLAB_MAX_AWARENESS_BYTES: 32 * 1024,
  COLLAB_MAX_UNSTORED_BYTES: 64 * 1024 * 1024,
};
