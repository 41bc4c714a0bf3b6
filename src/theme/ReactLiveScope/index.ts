/**
 * What live code blocks can use: React, and the routing playground built on the sandbox's
 * own matching functions (VirtualService and DestinationRule lessons).
 */
import React from 'react';
import RoutingResult from '@site/src/components/RoutingResult';
import { explainRouting } from '@site/src/playground/routing';

const ReactLiveScope: Record<string, unknown> = {
  React,
  ...React,
  RoutingResult,
  explainRouting,
};

export default ReactLiveScope;
