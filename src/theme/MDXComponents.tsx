import React from 'react';
import MDXComponents from '@theme-original/MDXComponents';
import Challenge from '@site/src/components/Challenge';
import Manifest from '@site/src/components/Manifest';
import Quiz from '@site/src/components/Quiz';
import SandboxTerminal from '@site/src/components/Terminal';
import StepCheck from '@site/src/components/StepCheck';

/** A wide table scrolls sideways: it takes the keyboard focus so it can be scrolled without a mouse (WCAG 2.1.1). */
function Table(props: React.ComponentProps<'table'>): React.JSX.Element {
  return <table tabIndex={0} {...props} />;
}

export default {
  ...MDXComponents,
  table: Table,
  Challenge,
  Manifest,
  Quiz,
  SandboxTerminal,
  StepCheck,
};
