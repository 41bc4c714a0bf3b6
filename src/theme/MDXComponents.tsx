import MDXComponents from '@theme-original/MDXComponents';
import Manifest from '@site/src/components/Manifest';
import Quiz from '@site/src/components/Quiz';
import SandboxTerminal from '@site/src/components/Terminal';
import StepCheck from '@site/src/components/StepCheck';

export default {
  ...MDXComponents,
  Manifest,
  Quiz,
  SandboxTerminal,
  StepCheck,
};
