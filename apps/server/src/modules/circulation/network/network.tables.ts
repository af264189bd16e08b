import type { Generated } from 'kysely';

/** The network-card and fine-currency columns of the library settings (migration 0018). */
export type NetworkTables = {
  circulation_library_settings: {
    organization_id: string;
    lends_to_network_patrons: Generated<boolean>;
    own_patrons_borrow_elsewhere: Generated<boolean>;
    currency: Generated<string>;
  };
};
