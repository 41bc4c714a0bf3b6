import React from 'react';

/** Shows `fallback` (the static code) when the editor's chunk fails to load or the editor throws. */
export default class EditorBoundary extends React.Component<{fallback: React.ReactNode; onError(): void; children: React.ReactNode}, {failed: boolean}> {
  override state = {failed: false};
  static getDerivedStateFromError(): {failed: boolean} {
    return {failed: true};
  }
  override componentDidCatch(): void {
    this.props.onError();
  }
  override render(): React.ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
