/** Structure builders (positions in Å): clusters, bulk crystals and slabs. */
export { icosahedron, icosahedronSize } from './icosahedron.ts';
export { decahedron, decahedronSize } from './decahedron.ts';
export { octahedron, fccCluster, reduceMiller, cubicEquivalents, fccLayerSpacing, type Miller, type FccClusterOptions } from './octahedron.ts';
export { bulk, repeatFrame, defaultCovera, type BulkOptions, type BulkStructure } from './bulk.ts';
export { surface, FACETS, type Facet, type SurfaceOptions } from './surface.ts';
export { fccSphere } from './fcc-sphere.ts';
export { randomCluster, clusterBounds, type RandomClusterOptions } from './random-cluster.ts';
