import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

export interface NamedRegion {
  name: string;
  /** [x, y, width, height] in the upright photo's pixels. */
  box: [number, number, number, number];
}

/** Written into every sidecar Facet creates, so Facet only ever rewrites its own files. */
export const FACET_CREATOR_TOOL = 'Facet';

const NS = {
  x: 'adobe:ns:meta/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  mwgRs: 'http://www.metadataworkinggroup.com/schemas/regions/',
  stDim: 'http://ns.adobe.com/xap/1.0/sType/Dimensions#',
  stArea: 'http://ns.adobe.com/xmp/sType/Area#',
  iptcExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
  mwgColl: 'http://www.metadataworkinggroup.com/schemas/collections/',
};

/** Where an album lives, as the MWG collection's URI: Facet's albums have no address outside the library. */
const albumUri = (name: string): string => `facet:album/${encodeURIComponent(name)}`;

const clamp = (v: number): number => Math.min(1, Math.max(0, v));
const fixed = (v: number): string => clamp(v).toFixed(6);

/**
 * An XMP sidecar with MWG face regions (read by digiKam, Lightroom, darktable and others), the IPTC
 * "person in image" list, and the photo's albums as MWG collections (mwg-coll:Collections, one
 * CollectionName + CollectionURI per album: the MWG's own schema for "this photo belongs to these
 * groupings", where xmp:Label is a single colour-label string that Lightroom and digiKam already use
 * for something else). MWG areas are normalised, with x/y the region's centre.
 */
export function buildXmpSidecar(width: number, height: number, regions: readonly NamedRegion[], albums: readonly string[] = []): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  doc.ins('xpacket', 'begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"');
  const description = doc
    .ele(NS.x, 'x:xmpmeta')
    .ele(NS.rdf, 'rdf:RDF')
    .ele(NS.rdf, 'rdf:Description')
    .att(NS.rdf, 'rdf:about', '')
    .att('xmlns:xmp', NS.xmp)
    .att('xmlns:mwg-rs', NS.mwgRs)
    .att('xmlns:stDim', NS.stDim)
    .att('xmlns:stArea', NS.stArea)
    .att('xmlns:Iptc4xmpExt', NS.iptcExt)
    .att('xmlns:mwg-coll', NS.mwgColl)
    .att(NS.xmp, 'xmp:CreatorTool', FACET_CREATOR_TOOL);
  if (albums.length > 0) {
    const collections = description.ele(NS.mwgColl, 'mwg-coll:Collections').ele(NS.rdf, 'rdf:Bag');
    for (const album of albums) {
      collections
        .ele(NS.rdf, 'rdf:li')
        .att(NS.rdf, 'rdf:parseType', 'Resource')
        .ele(NS.mwgColl, 'mwg-coll:CollectionName')
        .txt(album)
        .up()
        .ele(NS.mwgColl, 'mwg-coll:CollectionURI')
        .txt(albumUri(album));
    }
  }
  if (regions.length > 0) addFaceRegions(description, width, height, regions);
  doc.ins('xpacket', 'end="w"');
  return doc.end({ prettyPrint: true });
}

/** The MWG face regions and the IPTC "person in image" list. */
function addFaceRegions(description: XMLBuilder, width: number, height: number, regions: readonly NamedRegion[]): void {
  const regionsEl = description.ele(NS.mwgRs, 'mwg-rs:Regions').att(NS.rdf, 'rdf:parseType', 'Resource');
  regionsEl
    .ele(NS.mwgRs, 'mwg-rs:AppliedToDimensions')
    .att(NS.stDim, 'stDim:w', String(width))
    .att(NS.stDim, 'stDim:h', String(height))
    .att(NS.stDim, 'stDim:unit', 'pixel');
  const bag = regionsEl.ele(NS.mwgRs, 'mwg-rs:RegionList').ele(NS.rdf, 'rdf:Bag');
  for (const { name, box } of regions) {
    const [x, y, w, h] = box;
    const region = bag
      .ele(NS.rdf, 'rdf:li')
      .ele(NS.rdf, 'rdf:Description')
      .att(NS.mwgRs, 'mwg-rs:Name', name)
      .att(NS.mwgRs, 'mwg-rs:Type', 'Face');
    region
      .ele(NS.mwgRs, 'mwg-rs:Area')
      .att(NS.stArea, 'stArea:x', fixed((x + w / 2) / width))
      .att(NS.stArea, 'stArea:y', fixed((y + h / 2) / height))
      .att(NS.stArea, 'stArea:w', fixed(w / width))
      .att(NS.stArea, 'stArea:h', fixed(h / height))
      .att(NS.stArea, 'stArea:unit', 'normalized');
  }
  const people = description.ele(NS.iptcExt, 'Iptc4xmpExt:PersonInImage').ele(NS.rdf, 'rdf:Bag');
  for (const name of new Set(regions.map((r) => r.name))) people.ele(NS.rdf, 'rdf:li').txt(name);
}
