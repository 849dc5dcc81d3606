import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { describeError } from '../fhir/errors';

interface Props {
  /** Names the area in the message, e.g. "Arbeidsliste". */
  area: string;
  children: ReactNode;
}

interface State {
  error: unknown;
}

/** One per area: a failure in one view (or its lazy chunk) leaves the header and the rest usable. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // Shown to the user by render(); nothing is logged, as errors may hold patient data.
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    const text = describeError(this.state.error);
    return (
      <Alert data-color="danger" role="alert">
        <Heading level={2} data-size="xs">
          {`${this.props.area}: noe gikk galt`}
        </Heading>
        <Paragraph>{text.message}</Paragraph>
        <Paragraph>{text.action}</Paragraph>
        <Button variant="secondary" onClick={() => this.setState({ error: undefined })}>
          Prøv igjen
        </Button>
      </Alert>
    );
  }
}
