import MDXComponents from '@theme-original/MDXComponents';
import Challenge from '@site/src/components/Challenge';
import Manifest from '@site/src/components/Manifest';
import Quiz from '@site/src/components/Quiz';
import SandboxTerminal from '@site/src/components/Terminal';
import StepCheck from '@site/src/components/StepCheck';

export default {
  ...MDXComponents,
  Challenge,
  Manifest,
  Quiz,
  SandboxTerminal,
  StepCheck,
};
