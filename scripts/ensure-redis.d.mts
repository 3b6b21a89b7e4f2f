/** Path of a redis-server binary, installed with apt-get when missing and running as root. */
export function ensureRedisServer(): string;
