import type { Access } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
