/** Structure and accuracy analysis: coordination, Lindemann index, g(r), parity data and errors, PCA, descriptor maps, melting curves, diversity thinning. */
export { coordinationNumbers, cnHistogram, cnDistribution, type CnDistribution } from './coordination.ts';
export { LindemannAccumulator, lindemann } from './lindemann.ts';
export { rdf, pairDistanceHistogram, type BinOptions, type RdfResult, type PairHistogram } from './rdf.ts';
export { errorMetrics, rmse, meanSignedError, meanUnsignedError, perAtom, type ErrorMetrics } from './errors.ts';
export { cnHistogramDescriptor, farthestPointSelect, DEFAULT_MAX_CN } from './farthest-point.ts';
export { pca, project, symmetricEigen, type PcaResult, type PcaOptions } from './pca.ts';
export { MeltingLadder, estimateMelting, runMeltingLadder, type MeltingPoint, type MeltingEstimate, type MeltingLadderParams } from './melting.ts';
export { dpDescriptorRows, descriptorMap, placeOnMap, type DescriptorRows, type DescriptorMap } from './descriptor-map.ts';
export { parityData, type ParityData, type LabeledStructure } from './parity.ts';
