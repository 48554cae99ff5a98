// Maps `electron` to a recording stand-in so the built main bundle can boot under plain Node.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
