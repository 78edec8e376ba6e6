/**
 * Choices of the digital-service models (methodology §5.2) that are not reference data: the default device mixes of
 * the presets, the LAN network code, the names of the referential entries the model reads (hypothesis codes, the
 * generic cloud platform). Every figure of reference data (device factors, power, hours and lives, per-GB network
 * factors, electricity, people-equivalent divisors, PUEs, platform lives, G4IT's network types and server hosts)
 * comes from the `Referential` — the embedded default pack `referential/empreinte-default/`, plus the profile and
 * user layers — with its provenance.
 */

/** `@incubateur-ademe/publicodes-acv-numerique@2.1.0` (MIT), the ADEME model whose default mixes are cited below. */
export const ACV_NUM = '@incubateur-ademe/publicodes-acv-numerique@2.1.0';

/** Inside the organisation's network: 0, the LAN being counted in the inventory (methodology §5.2, choice). */
export const LAN_NETWORK = { code: 'LAN', source: 'methodology §5.2 (LAN already in the inventory, choice)' } as const;

/**
 * Hypothesis giving a cloud provider's PUE (`PUE_cloud_AWS`, `PUE_cloud_GCP`, `PUE_cloud_AZURE` in the default pack,
 * CCF values, F15); a provider without one falls back to `PUEParDefaut` with `CALC_DEFAULT_PUE`.
 */
export const cloudPueHypothesis = (providerCode: string): string => `PUE_cloud_${providerCode.toUpperCase()}`;

/**
 * Platform archetype whose `hours_life_time` is the life of a declared cloud instance that gives no `lifespanYears`:
 * Boavizta's generic compute platform, the default server archetype of BoaviztAPI (methodology F15: "35 040 h for
 * generic platforms", `Boavizta/boaviztapi: boaviztapi/data/archetypes/server.csv`). The value itself is read from
 * the referential's cloud platforms.
 */
export const CLOUD_GENERIC_PLATFORM = 'platform_compute_medium';

/**
 * Device mixes (shares of device setups).
 * - business application: 100 % laptop, the ACV-NUM visio default (`visio . appareil . moyenne utilisation
 *   ordinateur portable` = 100 %), methodology §5.2;
 * - online procedure: the ACV-NUM web-search mix (`recherche web . appareil . moyenne utilisation *`: 24 % desktop +
 *   screen, 24 % laptop, 8 % tablet, 45 % smartphone) normalised by 1.01 (methodology §5.2, §9 #18).
 * Item names are those of the default pack (`ademe-*`, methodology §6 "Terminals and peripherals").
 */
export const DEFAULT_MIX_SOURCES = {
  businessApplication: `${ACV_NUM}: visio . appareil . moyenne utilisation ordinateur portable (100 %)`,
  onlineProcedure: `${ACV_NUM}: recherche web . appareil . moyenne utilisation * (sum 1.01, normalised)`,
} as const;

export const BUSINESS_APPLICATION_MIX = [{ share: 1, items: [{ item: 'ademe-laptop', quantity: 1 }] }] as const;

export const ONLINE_PROCEDURE_MIX = [
  {
    share: 0.24 / 1.01,
    items: [
      { item: 'ademe-desktop', quantity: 1 },
      { item: 'ademe-monitor', quantity: 1 },
    ],
  },
  { share: 0.24 / 1.01, items: [{ item: 'ademe-laptop', quantity: 1 }] },
  { share: 0.08 / 1.01, items: [{ item: 'ademe-tablet', quantity: 1 }] },
  { share: 0.45 / 1.01, items: [{ item: 'ademe-smartphone', quantity: 1 }] },
] as const;
