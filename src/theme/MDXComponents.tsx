import MDXComponents from '@theme-original/MDXComponents';
import Manifest from '@site/src/components/Manifest';
import Quiz from '@site/src/components/Quiz';

export default {
  ...MDXComponents,
  Manifest,
  Quiz,
};
