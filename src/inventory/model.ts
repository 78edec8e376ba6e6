/**
 * Inventory items as the engine sees them (methodology §2.3–2.9), after reading and validation.
 * Field names are English; the NumEcoEval/G4IT column each one comes from is given in the comment.
 * Dates are ISO `yyyy-MM-dd` strings; numbers are already parsed; absent = undefined.
 */

/** Where an item was read: file and 1-based physical line (header = line 1). */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

export type Quality = 'HIGH' | 'MEDIUM' | 'LOW';
export type UsageMode = 'COPE' | 'BYOD' | 'PRO';
/** What became of a retired item (`finDeVie`, State KPIs; docs/inventory-format.md). */
export type EndOfLife = 'reuse' | 'donation' | 'recycling' | 'unknown';

export interface Datacenter {
  readonly name: string; // nomCourtDatacenter
  readonly longName?: string; // nomLongDatacenter
  readonly pue?: number; // pue (> 1)
  readonly location: string; // localisation (country)
  readonly entity?: string; // nomEntite
  readonly dataSource?: string; // nomSourceDonnee
  readonly quality?: Quality; // qualite
  readonly at?: SourceRef;
}

export interface PhysicalEquipment {
  readonly name: string; // nomEquipementPhysique
  readonly model?: string; // modele
  readonly type: string; // type
  readonly quantity: number; // quantite (> 0)
  readonly status?: string; // statut
  readonly country?: string; // paysDUtilisation
  readonly datacenter?: string; // nomCourtDatacenter
  readonly purchaseDate?: string; // dateAchat
  readonly retirementDate?: string; // dateRetrait
  readonly internalLifeYears?: number; // dureeUsageInterne
  readonly upstreamLifeYears?: number; // dureeUsageAmont
  readonly downstreamLifeYears?: number; // dureeUsageAval
  readonly annualKWh?: number; // consoElecAnnuelle
  readonly user?: string; // utilisateur
  readonly cores?: number; // nbCoeur
  readonly usageMode?: UsageMode; // modeUtilisation
  readonly usageRate?: number; // tauxUtilisation (0–1)
  readonly dataSource?: string; // nomSourceDonnee
  readonly entity?: string; // nomEntite
  readonly quality?: Quality; // qualite
  readonly manufacturer?: string; // fabricant
  readonly cpuType?: string; // typeDeProcesseur
  readonly memoryGB?: number; // tailleMemoire
  readonly diskGB?: number; // tailleDuDisque
  // F16 optional disk columns of bottom-up servers (methodology §2.4, F16)
  readonly ssdCount?: number; // nbSsd
  readonly ssdSizeGb?: number; // tailleSsd (GB per SSD)
  readonly hddCount?: number; // nbHdd
  readonly usageHours?: number; // dureeUtilisation (h/yr)
  readonly userCount?: number; // nombreUtilisateur
  readonly refurbishedRate?: number; // tauxAchatReconditionne (0–1)
  readonly reuseRate?: number; // tauxReemploi (0–1)
  readonly serverFlag?: boolean; // serveur (NEE JSON only; traced)
  readonly endOfLife?: EndOfLife; // finDeVie (réemploi, don, recyclage, inconnu)
  readonly at?: SourceRef;
}

export type VmType = 'compute' | 'storage';
export type Infrastructure = 'NON_CLOUD_SERVERS' | 'CLOUD_SERVICES';

export interface VirtualEquipment {
  readonly name: string; // nomEquipementVirtuel
  readonly host?: string; // nomEquipementPhysique
  readonly hostDataSource?: string; // nomSourceDonneeEquipementPhysique
  readonly allocationKey?: number; // cleRepartition (0–1)
  readonly vcpu?: number; // vCPU
  readonly cluster?: string; // cluster
  readonly annualKWh?: number; // consoElecAnnuelle / consoElecAn
  readonly vmType?: VmType; // typeEqv (calcul / stockage)
  readonly storage?: number; // capaciteStockage
  readonly infrastructure?: Infrastructure; // typeInfrastructure
  readonly quantity?: number; // quantite (cloud)
  readonly provider?: string; // provider (cloud)
  readonly instanceType?: string; // typeInstance (cloud)
  readonly location?: string; // location (cloud)
  readonly avgLoad?: number; // chargeMoy, % 0–100 (cloud)
  readonly annualHours?: number; // dureeUtilisationAnnuelle (cloud)
  readonly entity?: string;
  readonly dataSource?: string;
  readonly quality?: Quality;
  readonly at?: SourceRef;
}

export interface Application {
  readonly name: string; // nomApplication
  readonly environment: string; // typeEnvironnement
  readonly vm?: string; // nomEquipementVirtuel
  readonly vmDataSource?: string; // nomSourceEquipementVirtuel
  readonly domain?: string; // domaine
  readonly subDomain?: string; // sousDomaine
  readonly host?: string; // nomEquipementPhysique
  readonly entity?: string;
  readonly dataSource?: string;
  readonly quality?: Quality;
  readonly at?: SourceRef;
}

export interface NonItItem {
  readonly name: string; // nomItemNonIT
  readonly quantity: number; // quantite
  readonly type: string; // type
  readonly lifeYears?: number; // dureeDeVie
  readonly location: string; // localisation
  readonly datacenter?: string; // nomCourtDatacenter
  readonly description?: string;
  readonly annualKWh?: number; // consoElecAnnuelle
  readonly entity?: string;
  readonly dataSource?: string;
  readonly quality?: Quality;
  readonly at?: SourceRef;
}

export interface MessagingRow {
  readonly sentCount: number; // nombreMailEmis
  readonly sentTimesRecipients: number; // nombreMailEmisXDestinataires
  readonly totalVolume: number; // volumeTotalMailEmis (unit declared by option messagingVolumeUnit)
  readonly year: number; // MoisAnnee, last 4 digits
  readonly month: number; // MoisAnnee, leading 1–2 digits
  readonly entity?: string; // nomEntite
  readonly at?: SourceRef;
}

export interface Entity {
  readonly name: string; // nomEntite
  readonly collaborators?: number; // nbCollaborateurs
  readonly manager?: string; // responsableEntite
  readonly sustainabilityLead?: string; // responsableNumeriqueResponsable
  readonly at?: SourceRef;
}

export type InventoryKind =
  'datacenter' | 'physical-equipment' | 'virtual-equipment' | 'application' | 'non-it' | 'messaging' | 'entity';

export type InventoryItem =
  | { readonly kind: 'datacenter'; readonly item: Datacenter }
  | { readonly kind: 'physical-equipment'; readonly item: PhysicalEquipment }
  | { readonly kind: 'virtual-equipment'; readonly item: VirtualEquipment }
  | { readonly kind: 'application'; readonly item: Application }
  | { readonly kind: 'non-it'; readonly item: NonItItem }
  | { readonly kind: 'messaging'; readonly item: MessagingRow }
  | { readonly kind: 'entity'; readonly item: Entity };

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

/**
 * Day number since 1970-01-01 of an ISO `yyyy-MM-dd` date (time part ignored); NaN when malformed. Parsed by hand
 * (days-from-civil, proleptic Gregorian calendar) because it runs once or twice per inventory line: the engine's
 * periods and lifetimes (`engine/dates.ts`) and the row parser's years in service.
 */
export function isoDay(iso: string): number {
  const y = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const m = digit(iso, 5) * 10 + digit(iso, 6);
  const d = digit(iso, 8) * 10 + digit(iso, 9);
  if (!(y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) || iso[4] !== '-' || iso[7] !== '-') return NaN;
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
