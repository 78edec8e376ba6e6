/**
 * Tier of a physical equipment (methodology §1.5), first match:
 *   network gear (Switch, Router, Firewall, Wi-Fi access point, Network) → its placement: DATACENTER when it names a
 *     datacenter (`nomCourtDatacenter`), else NETWORK (an office wiring closet is part of the network) (choice);
 *   the reference item's tier; the item type's tier; a server type or an item hosted in a datacenter → DATACENTER;
 *   otherwise UNASSIGNED.
 */
import { foldKey } from '../referential/codes.js';
import type { ItemType, ReferenceItem, Tier } from '../referential/model.js';

/** Canonical names of the network gear types of §1.5, folded (a synonym resolves to its type before this test). */
const NETWORK_GEAR = new Set(['Switch', 'Router', 'Firewall', 'Wi-Fi access point', 'Network'].map(foldKey));

export function isNetworkGear(type: ItemType | undefined): boolean {
  return type !== undefined && NETWORK_GEAR.has(foldKey(type.type));
}

export function equipmentTier(
  refItem: ReferenceItem | undefined,
  type: ItemType | undefined,
  placement: { readonly namesDatacenter: boolean; readonly hosted: boolean },
  /** `isNetworkGear(type)` when the caller has it already (cached per type: it folds the type name). */
  networkGear: boolean = isNetworkGear(type),
): Tier {
  if (networkGear) return placement.namesDatacenter ? 'DATACENTER' : 'NETWORK';
  return refItem?.tier ?? type?.tier ?? (type?.isServer || placement.hosted ? 'DATACENTER' : 'UNASSIGNED');
}
