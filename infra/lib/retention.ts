import { RetentionDays } from 'aws-cdk-lib/aws-logs';

const allowed = Object.values(RetentionDays).filter(
  (v): v is RetentionDays => typeof v === 'number',
);

/** The CloudWatch Logs retention enum value for a number of days, or a message naming the field. */
export function retentionDays(days: number, field: string): RetentionDays {
  const match = allowed.find((value) => Number(value) === days);
  if (match === undefined) {
    const choices = allowed.filter((v) => v !== RetentionDays.INFINITE).sort((a, b) => a - b);
    throw new Error(`${field} = ${days}: CloudWatch Logs accepts only ${choices.join(', ')} days`);
  }
  return match;
}
